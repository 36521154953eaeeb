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

// Before grading: list the questions left blank and ask for a confirmation. Without this
// script the server asks the same on the quiz page (action "submit" with blanks).
(function () {
  "use strict";
  var form = document.getElementById("quiz");
  var dialog = document.getElementById("confirm-dialog");
  if (!form || !dialog || typeof dialog.showModal !== "function") return;
  var list = document.getElementById("confirm-list");
  var heading = document.getElementById("confirm-dialog-h");

  function blanks() {
    return Array.prototype.filter.call(form.querySelectorAll("fieldset.question"), function (q) {
      return !q.querySelector("input[type=radio]:checked");
    });
  }

  form.addEventListener("submit", function (event) {
    if (!event.submitter || event.submitter.value !== "submit") return;
    var missing = blanks();
    if (!missing.length) return;
    event.preventDefault();
    heading.textContent = missing.length === 1 ? dialog.getAttribute("data-one")
      : dialog.getAttribute("data-many").replace("{n}", String(missing.length));
    list.textContent = "";
    missing.forEach(function (q) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + q.id;
      a.textContent = q.querySelector("legend").textContent.trim();
      a.addEventListener("click", function () { dialog.close(); });
      li.appendChild(a);
      list.appendChild(li);
    });
    dialog.showModal();
  });

  document.getElementById("confirm-back").addEventListener("click", function () {
    dialog.close();
    var first = blanks()[0];
    if (first) {
      first.scrollIntoView({ block: "start" });
      var radio = first.querySelector("input[type=radio]");
      if (radio) radio.focus();
    }
  });
})();
