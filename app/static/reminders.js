// The board's "All" box: chooses or clears every agent of the list. The boxes work without it.
(function () {
  "use strict";
  var all = document.getElementById("pick-all");
  if (!all) return;
  var form = all.form;
  var boxes = form.querySelectorAll("input[name=" + all.getAttribute("data-picks") + "]");
  all.closest("label").hidden = false;
  function sync() {
    var chosen = 0;
    boxes.forEach(function (box) { if (box.checked) chosen += 1; });
    all.checked = chosen === boxes.length;
    all.indeterminate = chosen > 0 && chosen < boxes.length;
  }
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
})();
