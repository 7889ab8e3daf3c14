// A hint under a new password field as it is typed: too short, too repetitive, or long enough.
// Only a help: the server checks every rule (common passwords, name, guessability) and says
// which one a password breaks. The texts come translated in the element's data attributes; the
// hint changes only when its verdict does, so that a screen reader is not told at each key.
document.querySelectorAll("input[data-password-hint]").forEach(function (input) {
  var hint = document.getElementById(input.id + "-live");
  if (!hint) {
    return;
  }
  var min = parseInt(input.getAttribute("data-password-hint"), 10) || 12;
  var shown = null;

  function verdict(value) {
    if (!value) {
      return null;
    }
    if (value.length < min) {
      return "short";
    }
    var distinct = new Set(value.toLowerCase()).size;
    if (distinct < 5) {
      return "repetitive";
    }
    return "long";
  }

  input.addEventListener("input", function () {
    var now = verdict(input.value);
    if (now === shown) {
      return;
    }
    shown = now;
    hint.hidden = now === null;
    hint.textContent = now ? hint.getAttribute("data-" + now) : "";
    hint.className = "password-hint" + (now === "long" ? " password-hint--ok" : "");
  });
});
