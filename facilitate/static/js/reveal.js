// The reveal screen: the ranking appears place by place, from the last to the first, on the
// button, Space, the right arrow or Page Down (what a presentation clicker sends); the left
// arrow or Page Up hides the last place shown. Each place shown is read out by screen readers
// (aria-live). Without JavaScript the whole ranking is on the page, last to first.
(function () {
  "use strict";
  var screen = document.getElementById("reveal");
  var controls = document.getElementById("reveal-controls");
  var button = document.getElementById("reveal-next");
  var live = document.getElementById("reveal-live");
  if (!screen || !controls || !button || !live) return;
  var steps = Array.prototype.slice.call(screen.querySelectorAll("[data-reveal-step]"));
  if (!steps.length) return;
  var sections = Array.prototype.slice.call(screen.querySelectorAll("[data-reveal-section]"));
  var nextText = button.textContent;
  var shown = 0;
  var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function render() {
    steps.forEach(function (step, index) {
      step.hidden = index >= shown;
      step.classList.toggle("reveal__place--latest", index === shown - 1);
    });
    // A section (overall, one theme) appears with its first place.
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("[data-reveal-step]:not([hidden])");
    });
    var done = shown >= steps.length;
    button.textContent = done ? button.dataset.doneText : nextText;
    button.setAttribute("aria-disabled", done ? "true" : "false");
    screen.dataset.shown = String(shown);
  }

  function next() {
    if (shown >= steps.length) return;
    shown += 1;
    render();
    var step = steps[shown - 1];
    live.textContent = step.dataset.announce;
    step.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  }

  function previous() {
    if (shown === 0) return;
    shown -= 1;
    render();
    live.textContent = "";
  }

  function matches(target, selector) {
    return Boolean(target && target.closest && target.closest(selector));
  }

  button.addEventListener("click", next);
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    // Typing is never intercepted; Space on a focused button or link already acts on it.
    if (matches(event.target, "input, select, textarea, [contenteditable]")) return;
    var key = event.key;
    if (key === " " && matches(event.target, "button, a, summary")) return;
    if (key === "ArrowRight" || key === "PageDown" || key === " ") {
      event.preventDefault();
      next();
    } else if (key === "ArrowLeft" || key === "PageUp") {
      event.preventDefault();
      previous();
    }
  });

  controls.hidden = false;
  screen.classList.add("reveal--stepping");
  render();
})();
