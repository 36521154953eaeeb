// Autosave: each choice is saved as it is made; the form still works without this script.
(function () {
  "use strict";
  var form = document.getElementById("quiz");
  if (!form || !window.fetch) return;
  var status = document.getElementById("save-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  var template = form.getAttribute("data-autosave");
  var seq = Date.now();  // increasing across reloads, so a late save never wins

  // The words come from the page (data-* on the status line), in the reader's language.
  function say(key, fallback) {
    if (status) status.textContent = status.getAttribute("data-" + key) || fallback;
  }

  // Progress: how many questions have a chosen option (the page shows the count on load).
  function count() {
    var done = form.querySelectorAll("fieldset.question:has(input[type=radio]:checked)").length;
    var shown = document.getElementById("answered-count");
    var bar = document.getElementById("quiz-progress");
    if (shown) shown.textContent = String(done);
    if (bar) bar.value = done;
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("input[type=radio][data-item]")) return;
    count();
    var url = template.replace(/\/0$/, "/" + input.getAttribute("data-item"));
    var body = new URLSearchParams({ option: input.value, seq: String(++seq) });
    say("saving", "Saving…");
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": token, "Accept": "application/json" } })
      .then(function (r) { if (r.ok) say("saved", "Saved."); else say("failed", "Not saved — use “Save answers”."); })
      .catch(function () { say("offline", "Offline — your choice will be saved when you press “Save answers”."); });
  });
})();
