// Progressive enhancement only: every page and form works without this file.
// After a failed form submission, move focus to the error summary so that
// keyboard and screen-reader users land on the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
