// The Print button of printable pages (challenge sheets, badges). The button is hidden in the
// HTML and shown here, so that a page whose script did not load never offers a dead button.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
