// The Markdown editor's live preview: the unsaved text, rendered by the guided editor's
// preview endpoint (problems with their line numbers, the file's lines). The Preview button
// works without it.
(function () {
  "use strict";
  var source = document.getElementById("source");
  var live = document.getElementById("source-live");
  if (!source || !live) return;
  var form = source.form, timer = null, sent = 0;

  function preview() {
    var number = ++sent;
    var data = new FormData();
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    data.append("source", source.value);
    fetch(live.getAttribute("data-preview"), {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.redirected ? null : response.text(); })
      .then(function (html) {
        if (html === null || number !== sent) return;
        live.innerHTML = html;
        live.hidden = false;
      })
      .catch(function () { /* the Preview button still works */ });
  }

  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 600);
  });
})();
