// Character counters: the server already shows "N / 600 characters" under a field and refuses
// overlong input, so the page works without this script. Here the count follows the typing.
// The counter is a polite live region; it is updated after a short pause, not on every key.
document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
  var field = document.getElementById(counter.getAttribute("data-counter-for"));
  var max = parseInt(counter.getAttribute("data-max"), 10);
  var template = counter.getAttribute("data-template");
  if (!field || !max || !template) {
    return;
  }
  var timer = null;
  function update() {
    // As the server counts: trimmed, in characters (not UTF-16 units), line ends as one.
    var count = Array.from(field.value.replace(/\r\n/g, "\n").trim()).length;
    counter.textContent = template.replace("{count}", count).replace("{max}", max);
    counter.classList.toggle("field__error", count > max);
  }
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
});
