// Follows a book being built: asks its status every two seconds, moves the progress bar, and
// reloads the page once the book is ready (or the build failed), to show the download link.
// Without this script the page says to reload it.
document.querySelectorAll("[data-book-status][data-book-running]").forEach(function (box) {
  var url = box.getAttribute("data-book-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector("[data-book-percent]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (!state.running) { window.location.reload(); return; }
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + " %"; }
        if (percent) { percent.textContent = state.progress; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
});
