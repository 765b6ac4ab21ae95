// The ledger import job page: poll the JSON status until the job finishes, then offer the result.
(function () {
  "use strict";
  var box = document.getElementById("ledger-job");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("ledger-progress");
  var percent = document.getElementById("ledger-percent");
  var rows = document.getElementById("ledger-rows");
  var label = box.querySelector("[data-status-label]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.percent;
        percent.textContent = job.percent + "%";
        rows.textContent = job.rows_done.toLocaleString() + " / " + job.rows_total.toLocaleString();
        if (label && box.dataset["label" + job.status.charAt(0).toUpperCase() + job.status.slice(1)]) {
          label.textContent = box.dataset["label" + job.status.charAt(0).toUpperCase() + job.status.slice(1)];
        }
        if (job.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
