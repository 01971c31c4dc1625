// 发票管理 page script (loaded by the invoice pages only; no inline
// script: the CSP forbids it).
// - <textarea data-counter="id" data-max="128"> shows "n/128" in #id as
//   the user types (the 退票 remark, seed 003 §12.1.9.4).
// - <form data-invoice-apply>: the total of the ticked bills, its 6% tax
//   (amount × 6 / 106, half-up to the fen) and who pays postage (< ¥100
//   freight collect) follow the selection; mailing fields show for paper
//   only; a special invoice is paper only.
(function () {
  "use strict";

  function chars(s) { return Array.from(s).length; }

  function updateCounter(t) {
    var out = document.getElementById(t.getAttribute("data-counter"));
    if (out) { out.textContent = chars(t.value) + "/" + t.getAttribute("data-max"); }
  }

  function fen(s) {
    var m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s || "");
    if (!m) { return 0; }
    var v = parseInt(m[2], 10) * 100 + parseInt(((m[3] || "") + "00").slice(0, 2), 10);
    return m[1] ? -v : v;
  }

  function money(f) {
    var neg = f < 0;
    f = Math.abs(f);
    var yuan = Math.floor(f / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = ("0" + (f % 100)).slice(-2);
    return (neg ? "-" : "") + "¥" + yuan + "." + cents;
  }

  function updateApply(form) {
    var total = 0;
    form.querySelectorAll('input[name="periods"]:checked').forEach(function (b) {
      total += fen(b.getAttribute("data-amount"));
    });
    var mode = form.querySelector('input[name="mode"]:checked');
    if (mode && mode.value === "amount") {
      total = fen((form.querySelector('input[name="amount"]').value || "").replace(/[¥,\s]/g, ""));
    }
    var type = form.querySelector('select[name="type"]');
    var medium = form.querySelector('select[name="medium"]');
    if (type && medium) {
      var elec = medium.querySelector('option[value="electronic"]');
      if (type.value === "special") {
        if (medium.value === "electronic") { medium.value = "paper"; }
        if (elec) { elec.disabled = true; }
      } else if (elec) {
        elec.disabled = false;
      }
    }
    var paper = medium && medium.value === "paper";
    var mail = form.querySelector("[data-mail-fields]");
    if (mail) { mail.classList.toggle("hidden", !paper); }
    var tax = total > 0 ? Math.round(total * 6 / 106) : 0;
    var set = function (sel, text) {
      var el = form.querySelector(sel);
      if (el) { el.textContent = text; }
    };
    set('[data-testid="apply-total"]', money(total));
    set('[data-testid="apply-tax"]', money(tax));
    var post = form.querySelector('[data-testid="apply-postage"]');
    if (post) {
      post.textContent = post.getAttribute(!paper ? "data-none" : (total < 10000 ? "data-collect" : "data-vendor"));
    }
  }

  function onInput(e) {
    var t = e.target;
    if (t.getAttribute && t.getAttribute("data-counter")) { updateCounter(t); }
    var form = t.closest && t.closest("form[data-invoice-apply]");
    if (form) { updateApply(form); }
  }
  document.addEventListener("input", onInput);
  document.addEventListener("change", onInput);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(updateCounter);
    document.querySelectorAll("form[data-invoice-apply]").forEach(updateApply);
  });
})();
