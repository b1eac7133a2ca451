/* Invigilator console: rows refreshed every 3 s; actions posted with a reason. */
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root) return;
  var text = JSON.parse(document.getElementById("console-text").textContent);
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var body = document.getElementById("console-rows");
  function fmt(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + String(s).padStart(2, "0");
  }
  function cell(row, value) { var td = document.createElement("td"); td.textContent = value; row.appendChild(td); return td; }
  function render(rows) {
    body.textContent = "";
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.seat = r.seat;
      tr.dataset.attempt = r.attempt || "";
      cell(tr, r.seat);
      var who = cell(tr, "");
      if (r.photo) {
        var img = document.createElement("img");
        img.src = r.photo; img.alt = ""; img.width = 48; img.height = 48; img.className = "console-photo";
        who.appendChild(img);
        who.appendChild(document.createTextNode(" "));
      }
      who.appendChild(document.createTextNode(r.name));
      cell(tr, (text[r.state] || r.state) + (r.connection_lost ? " · " + text.lost : "")).dataset.state = r.state;
      cell(tr, r.attempt ? r.answered + " / " + r.questions : "—");
      cell(tr, fmt(r.remaining_seconds)).className = "time-left";
      cell(tr, r.last_save ? new Date(r.last_save).toLocaleTimeString() : "—");
      var actions = cell(tr, "");
      if (r.attempt && (r.state === "in_progress" || r.state === "paused" || r.state === "overdue")) {
        ["add_time", r.state === "paused" ? "resume" : "pause", "void"].forEach(function (a) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "button button--ghost"; b.dataset.action = a; b.dataset.attempt = r.attempt;
          b.textContent = text[a];
          actions.appendChild(b);
        });
      }
      body.appendChild(tr);
    });
  }
  function refresh() {
    fetch(root.dataset.rowsUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (d) { render(d.rows); }).catch(function () {});
  }
  root.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-action]");
    if (!b) return;
    var reason = document.getElementById("console-reason").value.trim();
    if (!reason) { document.getElementById("console-message").textContent = text.reason; return; }
    var form = new FormData();
    form.append("action", b.dataset.action);
    form.append("attempt", b.dataset.attempt || "");
    form.append("minutes", document.getElementById("console-minutes").value);
    form.append("reason", reason);
    fetch(root.dataset.actionUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf }, body: form })
      .then(function (r) { return r.json(); })
      .then(function (d) { document.getElementById("console-message").textContent = d.error || ""; refresh(); });
  });
  refresh();
  setInterval(refresh, 3000);
})();
