// The review page's keyboard: j/k move between items, a approves, r retires (rejects),
// e edits, x ticks the item for "Approve selected items". Every action is a button, link or
// checkbox of the page, which works without this script.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("li.item[data-key]"));
  if (!items.length) return;
  var help = document.getElementById("review-keys");
  if (help) help.hidden = false;

  function current() {
    var active = document.activeElement;
    var item = active && active.closest ? active.closest("li.item[data-key]") : null;
    return item ? items.indexOf(item) : -1;
  }
  function move(by) {
    var at = current();
    var next = at < 0 ? (by > 0 ? 0 : items.length - 1) : at + by;
    if (next < 0 || next >= items.length) return;
    items[next].focus();
    items[next].scrollIntoView({block: "nearest"});
  }
  function act(key) {
    var at = current();
    if (at < 0) return false;
    if (key === "x") {
      var box = items[at].querySelector("input[type=checkbox][name=items]");
      if (box) box.checked = !box.checked;
      return Boolean(box);
    }
    var target = items[at].querySelector("[data-key-action='" + key + "']");
    if (target) target.click();
    return Boolean(target);
  }
  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !/^(checkbox|radio|button|submit)$/.test(el.type);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
      event.preventDefault();
    } else if ((key === "a" || key === "r" || key === "e" || key === "x") && act(key)) {
      event.preventDefault();
    }
  });
  // Back from an approve or retire (the address ends in #item-...): continue from that item.
  var landed = location.hash && document.getElementById(location.hash.slice(1));
  if (landed && items.indexOf(landed) >= 0) landed.focus();
})();
