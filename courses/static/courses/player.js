// Lesson video heartbeat: while the video plays and the tab is visible, collect the media ranges
// played and send them every `data-interval` seconds; the server credits distinct seconds.
(function () {
  "use strict";
  var video = document.getElementById("lesson-video");
  if (!video) return;
  var source = video.getAttribute("data-src");
  if (source) {
    if (/\.m3u8(\?|$)/.test(source) && window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls();
      hls.loadSource(source);
      hls.attachMedia(video);
    } else {
      video.src = source;
    }
  }
  var url = video.getAttribute("data-heartbeat-url");
  if (!url) return;
  var watchable = video.getAttribute("data-watchable");
  var interval = Math.max(1, parseInt(video.getAttribute("data-interval"), 10) || 30) * 1000;
  var status = document.getElementById("watch-status");
  var ranges = [];
  var current = null;
  var last = null;

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function visible() { return document.visibilityState === "visible"; }
  function track() {
    if (video.paused || video.seeking || !visible()) { current = null; last = null; return; }
    var now = video.currentTime;
    if (current && last !== null && now >= last && now - last < 5) {
      current[1] = now;
    } else {
      current = [now, now];
      ranges.push(current);
    }
    last = now;
  }
  function flush(done) {
    track();
    var played = ranges.filter(function (r) { return r[1] > r[0]; })
      .map(function (r) { return [Math.round(r[0] * 100) / 100, Math.round(r[1] * 100) / 100]; });
    ranges = current ? [current = [current[1], current[1]]] : [];
    if (!played.length && !done) return;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ watchable: watchable, played: played })
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (status && typeof data.seconds === "number") {
        status.setAttribute("data-seconds", data.seconds);
        status.textContent = status.textContent.replace(/\d+/, data.seconds);
      }
      if (data.watched) { video.setAttribute("data-watched", "true"); window.location.reload(); }
    }).catch(function () {});
  }
  video.addEventListener("timeupdate", track);
  video.addEventListener("seeking", function () { track(); current = null; last = null; });
  video.addEventListener("pause", function () { flush(false); });
  video.addEventListener("ended", function () { flush(true); });
  document.addEventListener("visibilitychange", function () { if (!visible()) flush(false); });
  setInterval(function () { if (!video.paused && visible()) flush(false); }, interval);
})();
