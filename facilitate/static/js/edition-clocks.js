// The national dashboard's clocks: Paris time and each site's local time, kept going every
// 15 s from the browser's own clock (the page renders them once; a poll that finds nothing new
// sends nothing). Written as the pages write times: "11 h 41" in French, "11:41" in English.
(function () {
  "use strict";
  if (!window.Intl) return;

  function clock(zone) {
    var lang = document.documentElement.lang || "fr";
    var parts = {};
    new Intl.DateTimeFormat(lang, {
      hour: "numeric", minute: "2-digit", hourCycle: "h23", timeZone: zone
    }).formatToParts(new Date()).forEach(function (part) { parts[part.type] = part.value; });
    if (lang.slice(0, 2) === "fr") return String(Number(parts.hour)) + "\u00a0h\u00a0" + parts.minute;
    return ("0" + parts.hour).slice(-2) + ":" + parts.minute;
  }

  function tick() {
    var clocks = document.querySelectorAll("[data-clock]");
    for (var i = 0; i < clocks.length; i++) {
      try {
        clocks[i].textContent = clock(clocks[i].getAttribute("data-clock"));
      } catch (e) {
        // An unknown zone in an old browser: the time rendered by the server stays.
      }
    }
  }

  window.setInterval(tick, 15000);
})();
