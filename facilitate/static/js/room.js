// The room screen's countdown. The server sends when the slot ends (UTC) and its own "now";
// the difference from this device's clock is kept as an offset, so screens whose clocks are
// wrong still show the same time. The state is polled every 1.5 s (screen-common.js; 304 while
// nothing changed, nothing while the tab is hidden), so that what an organiser does, through
// whichever server, is on screen within 2 s; with it comes the organisers' announcement, shown
// until it expires.
(function () {
  "use strict";
  var POLL = 1500;
  var room = document.getElementById("room");
  var shared = window.facilitateScreen;
  if (!room || !shared) return;
  var timer = document.getElementById("room-timer");
  var timerState = document.getElementById("room-timer-state");
  var stageName = document.getElementById("room-stage");
  var state = {
    running: room.dataset.running === "true",
    endsAt: room.dataset.endsAt ? Date.parse(room.dataset.endsAt) : null,
    remaining: parseInt(room.dataset.remaining, 10) || 0
  };
  // server time - client time, in ms, measured when the page arrived.
  var offset = Date.parse(room.dataset.serverNow) - Date.now();
  var announcement = JSON.parse(room.dataset.announcement || "null");

  function secondsLeft() {
    if (state.running && state.endsAt !== null) {
      return Math.max(0, Math.ceil((state.endsAt - (Date.now() + offset)) / 1000));
    }
    return state.remaining;
  }

  function render() {
    var text = shared.format(secondsLeft());
    if (timer.textContent !== text) timer.textContent = text;
    shared.showAnnouncement(announcement, Date.now() + offset);
  }

  function apply(data, serverOffset) {
    offset = serverOffset;
    announcement = data.announcement;
    state.running = data.running;
    state.endsAt = data.ends_at ? Date.parse(data.ends_at) : null;
    state.remaining = data.remaining;
    room.dataset.running = String(data.running);
    timerState.textContent = data.running
      ? timerState.dataset.runningText
      : (data.paused_remaining !== null ? timerState.dataset.pausedText : timerState.dataset.idleText);
    stageName.textContent = data.stage_label;
    data.teams.forEach(function (team) {
      var item = document.querySelector('#room-teams [data-team="' + team.number + '"] .room__team-stage');
      if (item) item.textContent = team.label;
    });
    render();
  }

  var poll = shared.poller(room.dataset.stateUrl, room.dataset.etag, apply);

  render();
  window.setInterval(render, 250);
  window.setInterval(poll, POLL);
})();
