// Autosave: each choice is saved as it is made; the form still works without this script.
(function () {
  "use strict";
  var form = document.getElementById("quiz");
  if (!form || !window.fetch) return;
  var status = document.getElementById("save-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  var template = form.getAttribute("data-autosave");
  var seq = Date.now();  // increasing across reloads, so a late save never wins

  function say(text) { if (status) status.textContent = text; }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("input[type=radio][data-item]")) return;
    var url = template.replace(/\/0$/, "/" + input.getAttribute("data-item"));
    var body = new URLSearchParams({ option: input.value, seq: String(++seq) });
    say("Saving…");
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": token, "Accept": "application/json" } })
      .then(function (r) { say(r.ok ? "Saved." : "Not saved — use “Save answers”."); })
      .catch(function () { say("Offline — your choice will be saved when you press “Save answers”."); });
  });
})();
