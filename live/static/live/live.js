// Live observation watch page (issue 12): hls.js players fed by signed per-viewer addresses
// (refreshed before they expire), venue switch, backup fallback, moving watermark, a heartbeat
// every `interval` seconds while a video plays and the tab is visible (the server measures the
// time; only the venue is sent), replay progress, and the Q&A polled every few seconds.
(function () {
  "use strict";
  var app = document.getElementById("live-app");
  if (!app) return;
  var root = document.getElementById("live-player");
  var config = JSON.parse(app.getAttribute("data-config") || "{}");
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    });
  }
  function visible() { return document.visibilityState === "visible"; }

  var addresses = {};  // "venueId:primary|backup" -> current signed playlist address
  var players = {};    // venueId -> {video, hls, usingBackup}
  var active = null;

  function tokenOf(url) { var m = url.match(/\/stream\/([^/]+)\//); return m ? m[1] : ""; }
  function withToken(url, key) {
    var fresh = addresses[key];
    return fresh ? url.replace(/\/stream\/[^/]+\//, "/stream/" + tokenOf(fresh) + "/") : url;
  }
  function load(venueId, backup) {
    var p = players[venueId];
    var key = venueId + ":" + (backup ? "backup" : "primary");
    var src = addresses[key];
    if (!src) return false;
    p.usingBackup = backup;
    var label = document.querySelector('.live-source[data-venue="' + venueId + '"]');
    if (label) label.textContent = backup ? label.getAttribute("data-backup") : "";
    if (p.hls) { p.hls.destroy(); p.hls = null; }
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({
        xhrSetup: function (xhr, url) { xhr.open("GET", withToken(url, key), true); }
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () { p.video.play().catch(function () {}); });
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (!data.fatal) return;
        if (!p.usingBackup && addresses[venueId + ":backup"]) { load(venueId, true); }
        else if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) { hls.startLoad(); }
        else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); }
      });
      hls.loadSource(src);
      hls.attachMedia(p.video);
      p.hls = hls;
    } else if (p.video.canPlayType("application/vnd.apple.mpegurl")) {
      // Native HLS (Safari, iOS): the browser reloads the playlist itself, so a signed address
      // that expires or a failing source ends in an error; switch to the backup, or reload with
      // the freshest signed address a few seconds later.
      p.video.src = src;
      p.video.addEventListener("error", function () {
        if (!p.usingBackup && addresses[venueId + ":backup"]) { load(venueId, true); return; }
        p.retries = (p.retries || 0) + 1;
        if (p.retries <= 20) setTimeout(function () { load(venueId, p.usingBackup); }, 3000);
      }, { once: true });
      p.video.addEventListener("playing", function () { p.retries = 0; }, { once: true });
      p.video.play().catch(function () {});
    }
    return true;
  }
  function refresh(first) {
    return fetch(config.streamsUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        (data.venues || []).forEach(function (v) {
          addresses[v.id + ":primary"] = v.primary;
          if (v.backup) addresses[v.id + ":backup"] = v.backup;
        });
        if (data.replay) addresses["replay:primary"] = data.replay;
        if (first) {
          Object.keys(players).forEach(function (id) { load(id, false); });
        }
        var every = Math.max(5, (data.expires_in || 120) / 2) * 1000;
        setTimeout(function () { refresh(false); }, every);
      }).catch(function () { setTimeout(function () { refresh(first); }, 5000); });
  }
  function choose(venueId) {
    active = venueId;
    document.querySelectorAll(".live-venue, .live-venue-tab").forEach(function (el) {
      el.classList.toggle("is-active", el.getAttribute("data-venue") === String(venueId));
    });
  }
  function playing() {
    return Object.keys(players).some(function (id) {
      var v = players[id].video; return !v.paused && !v.ended && v.readyState > 2;
    });
  }

  if (root) {
    document.querySelectorAll("video.live-video").forEach(function (video) {
      var id = video.getAttribute("data-venue");
      players[id] = { video: video, hls: null, usingBackup: false };
      video.addEventListener("play", function () { if (id !== "replay") choose(id); });
    });
    document.querySelectorAll(".live-venue-tab").forEach(function (tab) {
      tab.addEventListener("click", function () {
        var id = tab.getAttribute("data-venue"); choose(id); players[id].video.play().catch(function () {});
      });
    });
    var first = document.querySelector("video.live-video");
    if (first) choose(first.getAttribute("data-venue"));
    refresh(true);
    // The watermark moves now and then so it cannot be cropped away in one place.
    setInterval(function () {
      document.querySelectorAll(".live-watermark").forEach(function (mark) {
        mark.style.top = (5 + Math.random() * 70) + "%";
        mark.style.left = (5 + Math.random() * 50) + "%";
      });
    }, 20000);
    var minutes = document.getElementById("live-minutes");
    var interval = Math.max(1, config.interval || 30) * 1000;
    var replayFrom = null;
    setInterval(function () {
      if (!visible() || !playing()) { replayFrom = null; return; }
      if (config.status === "live" && config.countsAttendance) {
        post(config.heartbeatUrl, { venue: parseInt(active, 10) || null })
          .then(function (r) { return r.json(); }).then(function (data) {
            if (minutes && typeof data.seconds === "number") {
              minutes.setAttribute("data-seconds", data.seconds);
              minutes.querySelector("span").textContent = data.minutes;
            }
          }).catch(function () {});
      } else if (config.status === "replay" && players.replay) {
        var now = players.replay.video.currentTime;
        if (replayFrom !== null && now > replayFrom) post(config.replayHeartbeatUrl, { played: [[replayFrom, now]] });
        replayFrom = now;
      }
    }, interval);
  }

  // Q&A: published answers for everyone, the viewer's own questions while they wait.
  var list = document.getElementById("live-questions");
  var form = document.getElementById("live-ask");
  var askStatus = document.getElementById("live-ask-status");
  function render(data) {
    list.textContent = "";
    (data.questions || []).forEach(function (q) {
      var li = document.createElement("li");
      li.className = q.published ? "published" : "pending";
      li.setAttribute("data-id", q.id);
      var question = document.createElement("p"); question.textContent = q.text; li.appendChild(question);
      var answer = document.createElement("p");
      answer.className = "answer";
      answer.textContent = q.published ? q.answer : (askStatus.getAttribute("data-pending") || "");
      li.appendChild(answer);
      list.appendChild(li);
    });
  }
  function poll() {
    fetch(config.questionsUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(render).catch(function () {});
  }
  if (list && config.questionsUrl) {
    poll();
    setInterval(function () { if (visible()) poll(); }, 3000);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var field = document.getElementById("live-question");
      post(config.questionsUrl, { text: field.value }).then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) { field.value = ""; askStatus.textContent = ""; render(data); }
          else { askStatus.textContent = data.detail || ""; }
        });
      }).catch(function () {});
    });
  }
})();
