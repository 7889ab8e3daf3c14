// The room screen's countdown. The server sends when the slot ends (UTC) and its own "now";
// the difference from this device's clock is kept as an offset, so screens whose clocks are
// wrong still show the same time. The state is polled every 1.5 s (304 while nothing changed),
// so that what an organiser does, through whichever server, is on screen within 2 s; a hidden
// tab does not poll.
(function () {
  "use strict";
  var POLL = 1500;
  var room = document.getElementById("room");
  if (!room) return;
  var timer = document.getElementById("room-timer");
  var timerState = document.getElementById("room-timer-state");
  var stageName = document.getElementById("room-stage");
  var etag = room.dataset.etag;
  var state = {
    running: room.dataset.running === "true",
    endsAt: room.dataset.endsAt ? Date.parse(room.dataset.endsAt) : null,
    remaining: parseInt(room.dataset.remaining, 10) || 0
  };
  // server time - client time, in ms, measured when the page arrived.
  var offset = Date.parse(room.dataset.serverNow) - Date.now();
  var busy = false;

  function format(seconds) {
    seconds = Math.max(0, seconds);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function secondsLeft() {
    if (state.running && state.endsAt !== null) {
      return Math.max(0, Math.ceil((state.endsAt - (Date.now() + offset)) / 1000));
    }
    return state.remaining;
  }

  function render() {
    var text = format(secondsLeft());
    if (timer.textContent !== text) timer.textContent = text;
  }

  function apply(data, sentAt, receivedAt) {
    // Half the round trip: the server's "now" was read about midway.
    offset = Date.parse(data.server_now) - (sentAt + receivedAt) / 2;
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

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var sentAt = Date.now();
    fetch(room.dataset.stateUrl, {
      headers: { "If-None-Match": '"' + etag + '"', "Accept": "application/json" },
      cache: "no-store",
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200) return null;
      var receivedAt = Date.now();
      etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
      return response.json().then(function (data) { apply(data, sentAt, receivedAt); });
    }).catch(function () {
      // Keep counting locally; the next poll will catch up.
    }).then(function () {
      busy = false;
    });
  }

  render();
  window.setInterval(render, 250);
  window.setInterval(poll, POLL);
})();
