// After a refused form, the list of what to fix is where the eye and the keyboard start
// (templates/includes/error_summary.html).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus();
  }
});
