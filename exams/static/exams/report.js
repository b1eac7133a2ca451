/* Exam report: while the report is prepared in the background, show its progress and reload
   the page when it is ready (or has failed). */
(function () {
  "use strict";
  var root = document.getElementById("report-progress");
  if (!root) return;
  var bar = root.querySelector("progress");
  var label = root.querySelector("[data-percent]");
  function poll() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        bar.value = d.percent;
        label.textContent = d.percent + " %";
        if (d.state === "done" || d.state === "failed") window.location.reload();
      })
      .catch(function () { /* try again at the next tick */ });
  }
  setInterval(poll, 1500);
})();
