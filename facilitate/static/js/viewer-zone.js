// Programme pages show times in the venue's zone. When this device is in another zone (someone
// in Paris reading the programme of La Réunion), each time gets the reader's own beside it, in
// brackets, and the note under the zone names the reader's zone. Nothing changes otherwise.
(function () {
  "use strict";
  var box = document.querySelector("[data-venue-zone]");
  var template = document.querySelector("[data-viewer-template]");
  if (!box || !template || !window.Intl) return;
  var viewer;
  try { viewer = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var venue = box.dataset.venueZone;
  if (!viewer || viewer === venue) return;
  var lang = document.documentElement.lang || "fr";

  function clock(iso, zone) {
    return new Intl.DateTimeFormat(lang, { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  }
  function day(iso, zone) {
    return new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: "long" }).format(new Date(iso));
  }

  var differs = false;
  document.querySelectorAll("[data-viewer-time]").forEach(function (node) {
    var start = node.dataset.start, end = node.dataset.end;
    var mine = clock(start, viewer) + " – " + clock(end, viewer);
    if (mine === clock(start, venue) + " – " + clock(end, venue)) return;
    if (day(start, viewer) !== day(start, venue)) mine = day(start, viewer) + " " + mine;
    differs = true;
    node.textContent = "(" + template.dataset.viewerTemplate.replace("%(time)s", mine) + ")";
    node.hidden = false;
  });
  if (!differs) return;
  var name = box.querySelector("[data-viewer-zone-name]");
  var parts = new Intl.DateTimeFormat(lang, { timeZone: viewer, timeZoneName: "long" }).formatToParts(new Date());
  var zone = parts.filter(function (part) { return part.type === "timeZoneName"; })[0];
  name.textContent = zone ? zone.value : viewer;
  box.querySelector("[data-viewer-zone]").hidden = false;
})();
