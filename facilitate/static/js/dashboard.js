// The organiser's dashboard refreshes its teams table every 15 s. The server answers 304 (no
// body) while nothing shown has changed; otherwise the table is swapped in and a short
// "Updated at HH:MM" is announced politely, never the whole table.
(function () {
  "use strict";
  var INTERVAL = 15000;
  var box = document.getElementById("dashboard-teams");
  var status = document.getElementById("dashboard-status");
  if (!box || !window.fetch) return;
  var etag = box.dataset.etag;
  var busy = false;

  function quoted(tag) {
    return '"' + tag + '"';
  }

  function announce() {
    var time;
    try {
      time = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: "2-digit", minute: "2-digit", timeZone: box.dataset.timezone
      }).format(new Date());
    } catch (e) {
      time = new Date().toTimeString().slice(0, 5);
    }
    status.textContent = box.dataset.updatedMessage.replace("%(time)s", time);
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(box.dataset.url, {
      headers: { "If-None-Match": quoted(etag) },
      cache: "no-store",
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200) return null;
      var tag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
      return response.text().then(function (html) {
        // Keep the reader's place: the scrolling box keeps its scroll position.
        var wrap = box.querySelector(".table-wrap");
        var left = wrap ? wrap.scrollLeft : 0;
        box.innerHTML = html;
        var newWrap = box.querySelector(".table-wrap");
        if (newWrap) newWrap.scrollLeft = left;
        etag = tag;
        announce();
      });
    }).catch(function () {
      // Poor venue Wi-Fi: try again at the next tick.
    }).then(function () {
      busy = false;
    });
  }

  window.setInterval(poll, INTERVAL);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) poll();
  });
})();
