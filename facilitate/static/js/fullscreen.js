// Projector screens (templates/screen.html): the "Full screen" button and the F key put the page
// in full screen, and take it out again (Esc too, as browsers do). The button and its hint are
// hidden in the HTML and shown here, only where the browser offers full screen.
(function () {
  "use strict";
  var button = document.querySelector("[data-fullscreen]");
  var keys = document.getElementById("fullscreen-keys");
  var root = document.documentElement;
  if (!button || !document.fullscreenEnabled || !root.requestFullscreen) return;

  function toggle() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      // Refused (no user gesture, a browser setting): the page simply stays as it is.
      Promise.resolve(root.requestFullscreen()).catch(function () {});
    }
  }

  function label() {
    var full = Boolean(document.fullscreenElement);
    button.textContent = full ? button.dataset.exitText : button.dataset.enterText;
  }

  button.addEventListener("click", toggle);
  document.addEventListener("fullscreenchange", label);
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    // Typing is never intercepted.
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable]")) return;
    if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      toggle();
    }
  });
  button.hidden = false;
  if (keys) keys.hidden = false;
  label();
})();
