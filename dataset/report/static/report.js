/* Review report: layer toggles, claim details on hover and on focus, and the cluster filter.
   Plain script, no network; the page reads fine without it. */
(function () {
  "use strict";

  var reading = document.getElementById("reading");
  var tip = document.getElementById("tip");
  var active = null;

  /* Every element drawn for one annotation: its head (id = key) and any continuation fragments. */
  function fragments(key) {
    var found = [];
    var head = document.getElementById(key);
    if (head) found.push(head);
    document.querySelectorAll('[data-continues="' + CSS.escape(key) + '"]').forEach(function (el) {
      found.push(el);
    });
    return found;
  }

  function keyOf(el) {
    return el.getAttribute("data-id") || el.getAttribute("data-continues");
  }

  /* The claim itself is marked active, its source mentions and cue linked. */
  function mark(claimKey, on) {
    var head = document.getElementById(claimKey);
    if (!head) return;
    fragments(claimKey).forEach(function (el) { el.classList.toggle("active", on); });
    (head.getAttribute("data-links") || "").split(" ").filter(Boolean).forEach(function (key) {
      fragments(key).forEach(function (el) { el.classList.toggle("linked", on); });
    });
  }

  function place(el) {
    var box = el.getClientRects()[0] || el.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left, window.innerWidth - tip.offsetWidth - 8));
    var top = box.bottom + 8;
    if (top + tip.offsetHeight > window.innerHeight - 8) {
      top = Math.max(8, box.top - tip.offsetHeight - 8);
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function show(el) {
    var key = keyOf(el);
    var card = key && document.getElementById("card-" + key);
    if (!tip || !card || reading.classList.contains("hide-claims")) return;
    if (active === key) return;
    hide();
    active = key;
    mark(key, true);
    tip.replaceChildren.apply(tip, Array.prototype.map.call(card.childNodes, function (node) {
      return node.cloneNode(true);
    }));
    tip.hidden = false;
    place(el);
  }

  function hide() {
    if (active) mark(active, false);
    active = null;
    if (tip) tip.hidden = true;
  }

  function claimAt(target) {
    var el = target && target.closest ? target.closest(".claim[data-id], .claim[data-continues]") : null;
    return el && reading && reading.contains(el) ? el : null;
  }

  if (reading) {
    document.querySelectorAll("input[data-toggle]").forEach(function (box) {
      function apply() {
        reading.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
        if (!box.checked) hide();
      }
      box.addEventListener("change", apply);
      apply();
    });
    document.addEventListener("mouseover", function (event) {
      var el = claimAt(event.target);
      if (el) {
        show(el);
      } else if (!(tip && tip.contains(event.target))) {
        var focused = claimAt(document.activeElement);
        if (focused) show(focused); else hide();
      }
    });
    document.addEventListener("focusin", function (event) {
      var el = claimAt(event.target);
      if (el) show(el); else hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    window.addEventListener("scroll", function () {
      var el = active && document.getElementById(active);
      if (el && tip && !tip.hidden) place(el);
    }, { passive: true });
  }

  var only = document.getElementById("only-conflicts");
  var matrix = document.getElementById("matrix");
  if (only && matrix) {
    only.addEventListener("change", function () {
      matrix.classList.toggle("only-conflicts", only.checked);
    });
  }
})();
