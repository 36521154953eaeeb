// The start button's live countdown while the pause after a failed attempt runs.
// Without this script the page states the time the pause ends and the button stays disabled
// until the page is loaded again; with it the button enables itself when the pause is over.
// The server sends the seconds left (data-retry-in), so a wrong clock on the phone is harmless.
(function () {
  "use strict";
  var started = Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }
  document.querySelectorAll("[data-retry-in]").forEach(function (box) {
    var left0 = parseInt(box.getAttribute("data-retry-in"), 10) || 0;
    var button = box.querySelector("button");
    var out = box.querySelector("[data-countdown]");
    var timer = null;
    function tick() {
      var left = Math.max(0, left0 - Math.floor((Date.now() - started) / 1000));
      if (left <= 0) {
        if (timer) clearInterval(timer);
        button.disabled = false;
        out.textContent = box.getAttribute("data-ready");
        out.setAttribute("role", "status");
        return;
      }
      out.textContent = box.getAttribute("data-wait").replace("{time}", format(left));
    }
    tick();
    timer = setInterval(tick, 1000);
  });
})();
