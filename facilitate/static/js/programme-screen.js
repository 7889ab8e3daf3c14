// A room's programme screen (programme/screen.html). The server sends the session under way and
// the next ones with their UTC times, and its own "now": the difference from this device's clock
// is kept as an offset, so a screen whose clock is wrong still moves on at the right moment.
// When a session ends the screen shows the next one at once and asks the server again; otherwise
// it asks every 10 s (screen-common.js). Announcements show until they expire.
(function () {
  "use strict";
  var POLL = 10000;
  var root = document.getElementById("programme-screen");
  var shared = window.facilitateScreen;
  if (!root || !shared) return;
  var state = JSON.parse(root.dataset.state);
  var offset = Date.parse(state.server_now) - Date.now();
  var allRooms = root.dataset.allRooms === "true";
  var el = function (id) { return document.getElementById(id); };
  var shownKey = null;
  var remaining = -1;

  function now() { return Date.now() + offset; }

  function format(ms) {
    return shared.format(Math.ceil(ms / 1000));
  }

  function when(session) {
    return (session.day ? session.day + ", " : "") + session.times;
  }

  function setText(id, text) {
    var node = el(id);
    if (node.textContent !== text) node.textContent = text;
  }

  function showSessions(sessions, current) {
    var shown = sessions[0] || null;
    el("pscreen-current").hidden = !shown;
    el("pscreen-nothing").hidden = Boolean(shown);
    setText("pscreen-current-label", current ? root.dataset.nowText : root.dataset.nextText);
    if (shown) {
      setText("pscreen-kind", shown.kind);
      setText("pscreen-title", shown.title);
      setText("pscreen-times", when(shown));
      setText("pscreen-speakers", shown.speakers || "");
      setText("pscreen-countdown-label", current ? root.dataset.endsInText : root.dataset.startsInText);
      var qr = el("pscreen-qr");
      var source = shown.url + "/qr.svg";
      if (qr.getAttribute("src") !== source) qr.setAttribute("src", source);
      qr.hidden = false;
    }
    var list = el("pscreen-next");
    list.textContent = "";
    sessions.slice(1, 4).forEach(function (session) {
      var item = document.createElement("li");
      var times = document.createElement("span");
      times.className = "pscreen__list-times";
      times.textContent = when(session);
      var title = document.createElement("span");
      title.className = "pscreen__list-title";
      title.textContent = session.title;
      item.appendChild(times);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(title);
      if (allRooms && session.room) {
        var place = document.createElement("span");
        place.className = "pscreen__list-room";
        place.textContent = "· " + session.room;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(place);
      }
      list.appendChild(item);
    });
  }

  function tick() {
    var at = now();
    var sessions = state.sessions.filter(function (s) { return Date.parse(s.ends_at) > at; });
    var current = sessions.length > 0 && Date.parse(sessions[0].starts_at) <= at;
    var key = (sessions[0] ? sessions[0].id : "none") + ":" + current + ":" + sessions.length;
    if (key !== shownKey) {
      shownKey = key;
      showSessions(sessions, current);
      root.dataset.current = current ? String(sessions[0].id) : "";
    }
    if (sessions[0]) {
      setText("pscreen-timer", format(Date.parse(current ? sessions[0].ends_at : sessions[0].starts_at) - at));
    }
    if (remaining !== -1 && sessions.length < remaining) poll();  // one has just ended
    remaining = sessions.length;
    shared.showAnnouncement(state.announcement, at);
  }

  var poll = shared.poller(root.dataset.stateUrl, root.dataset.etag, function (data, serverOffset) {
    offset = serverOffset;
    state = data;
    shownKey = null;
    tick();
  });

  tick();
  window.setInterval(tick, 250);
  window.setInterval(poll, POLL);
})();
