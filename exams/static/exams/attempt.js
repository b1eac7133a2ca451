/* Exam attempt page: every change saved (debounced), everything unsent kept in localStorage and
   re-sent after a network failure or a reload, per-answer sequence numbers, the server's time
   left counted down against this browser's clock (no drift in a background tab). A lost
   session opens a log-in dialog on the page (answers stay, unsent ones are re-sent after); as a
   last resort the answers download as a file encrypted (AES-GCM) for the exam system. */
(function () {
  "use strict";
  var root = document.getElementById("exam-attempt");
  if (!root) return;
  var data = JSON.parse(document.getElementById("attempt-data").textContent);
  var text = JSON.parse(document.getElementById("attempt-text").textContent);
  var form = document.getElementById("attempt-form");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var loginDialog = document.getElementById("login-dialog");
  var loggingIn = false;
  var storeKey = "exam-attempt-" + root.dataset.attempt;
  var pending = {};      // position -> {response, seq} not yet acknowledged
  var acked = {};        // position -> highest acknowledged seq
  var timers = {};
  var deadlineLocal = null; // this browser's Date.now() value at which time runs out
  var closed = false;

  function load() { try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; } }
  function store() { try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full or private */ } }
  function fieldset(position) { return form.querySelector('fieldset[data-position="' + position + '"]'); }
  function showState(position, state) {
    var el = root.querySelector('[data-save-state="' + position + '"]');
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text[state];
  }
  function message(msg) {
    var el = document.getElementById("exam-message");
    el.hidden = !msg;
    el.textContent = msg || "";
  }

  function readResponse(fs) {
    var qtype = fs.dataset.qtype;
    var inputs = fs.querySelectorAll("input, textarea");
    if (qtype === "multichoice") {
      var chosen = [];
      inputs.forEach(function (i) { if (i.checked) chosen.push(parseInt(i.value, 10)); });
      if (!chosen.length) return null;
      return fs.querySelector("input").type === "radio" ? chosen[0] : chosen;
    }
    if (qtype === "truefalse") {
      var value = null;
      inputs.forEach(function (i) { if (i.checked) value = i.value === "true"; });
      return value;
    }
    return inputs[0].value;
  }
  function writeResponse(fs, response) {
    var qtype = fs.dataset.qtype;
    var inputs = fs.querySelectorAll("input, textarea");
    if (qtype === "multichoice") {
      var chosen = Array.isArray(response) ? response : (response === null || response === undefined ? [] : [response]);
      inputs.forEach(function (i) { i.checked = chosen.indexOf(parseInt(i.value, 10)) !== -1; });
    } else if (qtype === "truefalse") {
      inputs.forEach(function (i) { i.checked = response !== null && response !== undefined && String(response) === i.value; });
    } else {
      inputs[0].value = response || "";
    }
  }

  function syncClock(status) {
    deadlineLocal = Date.now() + status.remaining_seconds * 1000;
    document.getElementById("exam-paused").hidden = !status.paused;
    if (status.state && status.state !== "in_progress") finish();
  }
  function tick() {
    if (deadlineLocal === null) return;
    var left = Math.max(0, Math.round((deadlineLocal - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    document.getElementById("time-left").textContent =
      (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    document.getElementById("time-left").dataset.seconds = left;
  }
  function finish() {
    if (closed) return;
    closed = true;
    window.location.href = root.dataset.reviewUrl;
  }

  function send(position) {
    var entry = pending[position];
    if (!entry || closed) return Promise.resolve();
    return fetch(root.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ position: Number(position), response: entry.response, seq: entry.seq })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          acked[position] = Math.max(acked[position] || 0, body.seq);
          if (pending[position] && pending[position].seq <= body.seq) {
            delete pending[position];
            store();
            showState(position, "saved");
          }
          syncClock(body);
          message("");
        } else if (response.status === 401 || response.status === 403) {
          showState(position, "unsaved");
          if (body.csrf) csrf = body.csrf;
          sessionLost(response.status);
        } else if (response.status === 409) {
          message(body.error);
          refreshStatus();
        } else {
          showState(position, "unsaved");
          message(body.error || "");
        }
      });
    }).catch(function () {
      showState(position, "offline");
    });
  }
  function flush() { Object.keys(pending).forEach(send); }

  function changed(fs) {
    var position = fs.dataset.position;
    var previous = Math.max(acked[position] || 0, pending[position] ? pending[position].seq : 0);
    pending[position] = { response: readResponse(fs), seq: previous + 1 };
    store();
    showState(position, "unsaved");
    clearTimeout(timers[position]);
    timers[position] = setTimeout(function () { send(position); }, 600);
  }

  function fetchStatus() {
    return fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (body.csrf) csrf = body.csrf;  // a log-in rotates the token
          return { status: r.status, body: body };
        });
      });
  }
  function refreshStatus() {
    return fetchStatus()
      .then(function (r) {
        if (r.status === 401) { sessionLost(401); return; }
        if (r.status === 200) syncClock(r.body);
      })
      .catch(function () { /* offline: the local countdown goes on */ });
  }

  // Session lost (401), or a stale CSRF token (403): ask for the password in a dialog without
  // leaving the page; once the status answers again, everything unsent is re-sent.
  function sessionLost(status) {
    if (status === 403) {
      fetchStatus().then(function (r) { if (r.status === 401) openLogin(); else if (r.status === 200) flush(); })
        .catch(function () {});
      return;
    }
    openLogin();
  }
  function openLogin() {
    message(text.login);
    if (!loginDialog || loginDialog.open) return;
    loginDialog.querySelector("[data-login-error]").textContent = "";
    if (loginDialog.showModal) loginDialog.showModal(); else loginDialog.setAttribute("open", "");
    loginDialog.querySelector("input[name=login]").focus();
  }
  if (loginDialog) {
    loginDialog.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      if (loggingIn) return;
      loggingIn = true;
      var error = loginDialog.querySelector("[data-login-error]");
      var fields = new URLSearchParams();
      fields.append("login", loginDialog.querySelector("input[name=login]").value);
      fields.append("password", loginDialog.querySelector("input[name=password]").value);
      fetchStatus().catch(function () { return null; }).then(function () {
        fields.append("csrfmiddlewaretoken", csrf);
        return fetch(root.dataset.loginUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf },
          body: fields.toString()
        });
      }).then(function () { return fetchStatus(); }).then(function (r) {
        if (r.status === 200) {
          loginDialog.querySelector("input[name=password]").value = "";
          if (loginDialog.close) loginDialog.close(); else loginDialog.removeAttribute("open");
          message("");
          syncClock(r.body);
          flush();
        } else {
          error.textContent = r.status === 404 ? text.otherUser : text.loginFailed;
        }
      }).catch(function () {
        error.textContent = text.offline;
      }).then(function () { loggingIn = false; });
    });
  }

  // Last resort: the answers on this page, encrypted for the exam system, as a file.
  function b64ToBytes(value) {
    var raw = atob(value), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function bytesToB64(bytes) {
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw);
  }
  var downloadButton = document.getElementById("download-answers");
  if (downloadButton) {
    downloadButton.addEventListener("click", function () {
      if (!window.crypto || !window.crypto.subtle) { message(text.noCrypto); return; }
      var attemptId = Number(root.dataset.attempt);
      var answers = [];
      form.querySelectorAll("fieldset[data-position]").forEach(function (fs) {
        var position = fs.dataset.position;
        var entry = pending[position];
        var seq = entry ? entry.seq : (acked[position] || 0);
        if (!seq) return;
        answers.push({ position: Number(position), response: entry ? entry.response : readResponse(fs), seq: seq });
      });
      var encoder = new TextEncoder();
      var plain = encoder.encode(JSON.stringify({ attempt: attemptId, answers: answers, written_at: new Date().toISOString() }));
      var iv = window.crypto.getRandomValues(new Uint8Array(12));
      window.crypto.subtle.importKey("raw", b64ToBytes(root.dataset.fileKey), { name: "AES-GCM" }, false, ["encrypt"])
        .then(function (key) {
          return window.crypto.subtle.encrypt(
            { name: "AES-GCM", iv: iv, additionalData: encoder.encode("aeo-exam-answers:v1:" + attemptId) }, key, plain);
        })
        .then(function (sealed) {
          var file = JSON.stringify({ format: "aeo-exam-answers", v: 1, attempt: attemptId, iv: bytesToB64(iv), data: bytesToB64(new Uint8Array(sealed)) });
          var link = document.createElement("a");
          link.href = URL.createObjectURL(new Blob([file], { type: "application/json" }));
          link.download = "exam-answers-" + attemptId + ".json";
          document.body.appendChild(link);
          link.click();
          link.remove();
        })
        .catch(function () { message(text.noCrypto); });
    });
  }

  // Restore: the server's answers, then anything this browser had not sent yet (newer seq).
  var local = load();
  data.questions.forEach(function (q) {
    var fs = fieldset(q.position);
    acked[q.position] = q.seq;
    writeResponse(fs, q.response);
    if (q.seq) showState(q.position, "saved");
    var mine = local[q.position];
    if (mine && mine.seq > q.seq) {
      pending[q.position] = mine;
      writeResponse(fs, mine.response);
      showState(q.position, "unsaved");
    }
  });
  store();
  syncClock(data);
  tick();
  flush();

  form.addEventListener("input", function (e) { var fs = e.target.closest("fieldset"); if (fs) changed(fs); });
  form.addEventListener("change", function (e) { var fs = e.target.closest("fieldset"); if (fs) changed(fs); });
  form.addEventListener("submit", function (e) {
    if (!window.confirm(text.confirm)) { e.preventDefault(); return; }
    e.preventDefault();
    Promise.all(Object.keys(pending).map(send)).then(function () {
      closed = true;
      localStorage.removeItem(storeKey);
      form.submit();
    });
  });
  window.addEventListener("online", flush);
  window.addEventListener("beforeunload", function (e) {
    if (!closed && Object.keys(pending).length) { e.preventDefault(); e.returnValue = text.leave; return text.leave; }
  });
  setInterval(tick, 500);
  setInterval(function () { flush(); refreshStatus(); }, 5000);  // saves at least every 15 s; time added shows within 5 s
  setInterval(function () { if (deadlineLocal !== null && Date.now() > deadlineLocal + 35000) refreshStatus(); }, 10000);
})();
