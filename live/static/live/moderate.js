// Trainer's Q&A and viewers page (issue 12, point 6): the viewer count per venue refreshes
// every heartbeat interval from the viewers endpoint while the tab is visible.
(function () {
  "use strict";
  var list = document.getElementById("live-viewers");
  if (!list || !list.getAttribute("data-url")) return;
  var every = Math.max(2, parseInt(list.getAttribute("data-interval"), 10) || 30) * 1000;
  function update() {
    if (document.visibilityState !== "visible") return;
    fetch(list.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        (data && data.venues || []).forEach(function (v) {
          var count = list.querySelector('li[data-venue="' + v.id + '"] strong');
          if (count) count.textContent = v.viewers;
        });
      }).catch(function () {});
  }
  setInterval(update, every);
})();
