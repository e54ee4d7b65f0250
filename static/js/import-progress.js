// The import page follows its job: rows done of total, without reloading, until the job ends; then the
// page reloads once to show the report. Without JavaScript a reload shows the same.
document.addEventListener("DOMContentLoaded", function () {
  var section = document.querySelector("[data-status-url]");
  if (!section) { return; }
  var progress = section.querySelector("[data-import-progress]");
  var count = section.querySelector("[data-import-count]");
  var label = section.querySelector("[data-import-label]");
  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        label.textContent = job.label;
        if (progress) {
          progress.max = job.rows_total || 1;
          progress.value = job.rows_done;
        }
        if (count) {
          count.textContent = count.textContent.replace(/^[\d.,]+/, job.rows_done.toLocaleString(document.documentElement.lang || "id"));
        }
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
});
