// The organiser's dashboard refreshes its teams table every 1.5 s, so that a change made through
// whichever server is on screen within 2 s. The server answers 304 (no body, one query) while
// nothing shown has changed; otherwise the table is swapped in and a short "Updated at HH:MM"
// is announced politely, never the whole table.
(function () {
  "use strict";
  var INTERVAL = 1500;
  var box = document.getElementById("dashboard-teams");
  var status = document.getElementById("dashboard-status");
  if (!box || !window.fetch) return;
  var etag = box.dataset.etag;
  var busy = false;

  function quoted(tag) {
    return '"' + tag + '"';
  }

  // The venue's time on a 24-hour clock, as the pages write it: "11 h 41" in French, "11:41".
  function clock() {
    var lang = document.documentElement.lang || "fr";
    try {
      var parts = {};
      new Intl.DateTimeFormat(lang, {
        hour: "numeric", minute: "2-digit", hourCycle: "h23", timeZone: box.dataset.timezone
      }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
      if (lang.slice(0, 2) === "fr") return String(Number(parts.hour)) + "\u00a0h\u00a0" + parts.minute;
      return ("0" + parts.hour).slice(-2) + ":" + parts.minute;
    } catch (e) {
      return new Date().toTimeString().slice(0, 5);
    }
  }

  function announce() {
    var time = clock();
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
