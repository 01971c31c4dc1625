// Partner Center's small client script: toasts fade out, destructive
// forms ask for confirmation (data-confirm), select-all checkboxes,
// dialogs open and close (data-dialog-open / data-dialog-close), and the
// user menu closes when clicking elsewhere. No inline script anywhere:
// the CSP forbids it.
(function () {
  "use strict";

  function fadeToasts(root) {
    (root || document).querySelectorAll(".toast:not([data-armed])").forEach(function (t) {
      t.setAttribute("data-armed", "1");
      setTimeout(function () {
        t.classList.add("toast-hide");
        setTimeout(function () { t.remove(); }, 400);
      }, 4500);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { fadeToasts(); });
  // <dialog data-autoshow> opens as a modal when the page loads (a form
  // shown again with its errors).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog[data-autoshow]").forEach(function (d) {
      if (d.showModal && !d.open) { d.showModal(); }
    });
  });
  document.addEventListener("htmx:afterSwap", function () { fadeToasts(); });
  document.addEventListener("htmx:afterSettle", function () { fadeToasts(); });

  // <form data-confirm="message"> asks before submitting.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (e) {
    var t = e.target;
    // <button data-dialog-open="id"> opens <dialog id="id">.
    var opener = t.closest && t.closest("[data-dialog-open]");
    if (opener) {
      var d = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (d && d.showModal) { d.showModal(); }
      e.preventDefault();
      return;
    }
    var closer = t.closest && t.closest("[data-dialog-close]");
    if (closer) {
      var dlg = closer.closest("dialog");
      if (dlg) { dlg.close(); }
      e.preventDefault();
      return;
    }
    // Close open <details> menus when clicking outside.
    document.querySelectorAll("details[open]").forEach(function (d) {
      if (!d.contains(t)) { d.removeAttribute("open"); }
    });
  });

  // <input type=checkbox data-select-all="name"> toggles all boxes name=name.
  document.addEventListener("change", function (e) {
    var name = e.target.getAttribute && e.target.getAttribute("data-select-all");
    if (name) {
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (b) {
        b.checked = e.target.checked;
      });
    }
  });

  // <button data-copy="text" data-copied="label"> copies text to the
  // clipboard and says so on the button for a moment.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-copy]");
    if (!b) { return; }
    e.preventDefault();
    var text = b.getAttribute("data-copy");
    var done = function () {
      var label = b.getAttribute("data-copied");
      if (!label) { return; }
      var old = b.textContent;
      b.textContent = label;
      setTimeout(function () { b.textContent = old; }, 1500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {});
    }
  });
})();
