// The guided editor: fact rows added, moved and removed in place, and a live preview of the
// unsaved form. Without script the same buttons submit the form and the server does it.
(function () {
  "use strict";
  var form = document.getElementById("guided-form");
  if (!form) return;
  var rows = document.getElementById("fact-rows");
  var blank = document.getElementById("fact-row-template");
  var live = document.getElementById("guided-live");
  var timer = null, sent = 0;

  function renumber() {
    var all = rows.querySelectorAll(".fact-row");
    all.forEach(function (row, index) {
      row.setAttribute("data-row", index);
      row.id = "fact-" + index;
      row.querySelector(".row-no").textContent = index + 1;
      row.querySelectorAll("[name], [id], [for], [aria-describedby], [data-problems]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby", "data-problems"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/fact-(\d+|__N__)-/g, "fact-" + index + "-")
                                                 .replace(/^fact-(\d+|__N__)$/, "fact-" + index));
        });
      });
      row.querySelectorAll("button[data-move]").forEach(function (button) {
        button.value = button.getAttribute("data-move") + "-" + index;
      });
    });
  }

  function addRow() {
    rows.appendChild(blank.content.cloneNode(true));
    renumber();
    var added = rows.lastElementChild.querySelector("input");
    if (added) added.focus();
  }

  function moveRow(button) {
    var row = button.closest(".fact-row"), move = button.getAttribute("data-move");
    if (move === "up" && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
    } else if (move === "down" && row.nextElementSibling) {
      rows.insertBefore(row.nextElementSibling, row);
    } else if (move === "remove") {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (!rows.querySelector(".fact-row")) { addRow(); next = null; }
      if (next) next.querySelector("input").focus();
      renumber();
      return;
    } else {
      return;
    }
    renumber();
    button.focus();
  }

  function showProblems(fragment) {
    form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    fragment.querySelectorAll("#live-problems li[data-for]").forEach(function (item) {
      var key = item.getAttribute("data-for");
      var box = form.querySelector('[data-problems="' + key + '"]');
      if (!box) return;
      var message = document.createElement("p");
      message.className = "error field-error";
      message.textContent = item.querySelector(".message").textContent;
      box.appendChild(message);
      var owner = box.closest(".field, .fact-row");
      if (owner) owner.querySelectorAll("input[type=text], input[type=date], select, textarea")
        .forEach(function (el) { if (el.getAttribute("aria-describedby")) el.setAttribute("aria-invalid", "true"); });
    });
  }

  function announce() {
    var status = document.getElementById("live-status");
    if (!status) return;
    var problems = live.querySelector("#live-problems");
    status.textContent = problems
      ? problems.querySelector("h2").textContent + ": " + problems.querySelectorAll("li").length
      : status.getAttribute("data-updated");
  }

  function preview() {
    var number = ++sent;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.getAttribute("data-preview"), {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        // signed out meanwhile: the answer is the sign-in page, not a preview
        return response.redirected ? null : response.text();
      })
      .then(function (html) {
        if (html === null || number !== sent) return;  // or a newer preview is on its way
        live.innerHTML = html;
        showProblems(live);
        announce();
      })
      .catch(function () { /* the Preview button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(preview, 500);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.id === "add-fact") { event.preventDefault(); addRow(); later(); }
    else if (button.hasAttribute("data-move")) { event.preventDefault(); moveRow(button); later(); }
  });
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.setAttribute("data-live", "on");
  if (document.getElementById("g-slug").value) later();  // a copy or a version: show it
})();
