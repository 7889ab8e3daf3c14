// What the projector screens share (programme-screen.js, room.js): the way they write a time
// left, the poll that asks the server for its state (304 while nothing changed) and measures
// the difference between the server's clock and this device's, and the organisers'
// announcement, shown until it expires by the server's clock. Loaded before either screen.
(function () {
  "use strict";

  // "9:05", or "1:02:05" past an hour (the server writes it the same way).
  function format(seconds) {
    seconds = Math.max(0, seconds);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  // A function that polls url once (never twice at a time, never from a hidden tab) and calls
  // onData(data, offset) with each new state and the server's clock minus this device's, in ms.
  function poller(url, etag, onData) {
    var busy = false;
    return function poll() {
      if (busy || document.hidden) return;
      busy = true;
      var sentAt = Date.now();
      fetch(url, {
        headers: { "If-None-Match": '"' + etag + '"', "Accept": "application/json" },
        cache: "no-store",
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status !== 200) return null;
        var receivedAt = Date.now();
        etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
        return response.json().then(function (data) {
          // Half the round trip: the server's "now" was read about midway.
          onData(data, Date.parse(data.server_now) - (sentAt + receivedAt) / 2);
        });
      }).catch(function () {
        // Keep going with what we have; the next poll will catch up.
      }).then(function () {
        busy = false;
      });
    };
  }

  // Show the announcement (or hide it: none, or expired at the server's time ``at``).
  function showAnnouncement(note, at) {
    var box = document.getElementById("screen-announcement");
    if (!box) return;
    var visible = Boolean(note && Date.parse(note.expires_at) > at);
    box.hidden = !visible;
    var text = document.getElementById("screen-announcement-text");
    if (visible && text.textContent !== note.text) text.textContent = note.text;
  }

  window.facilitateScreen = { format: format, poller: poller, showAnnouncement: showAnnouncement };
})();
