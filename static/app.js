// Partner Center's small client script: toasts fade out, forms that
// move money or cannot be undone ask in their confirmation dialog
// (components.ConfirmSubmit / ConfirmDialog), select-all checkboxes,
// dialogs open and close (data-dialog-open / data-dialog-close), and the
// user menu closes when clicking elsewhere. No inline script anywhere:
// the CSP forbids it; and no window.confirm: the browser journeys fail
// if a JavaScript dialog opens.
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
      if (d.hasAttribute("data-confirm-dialog")) {
        openConfirm(d, true);
      } else if (d.showModal && !d.open) {
        d.showModal();
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function () { fadeToasts(); });
  document.addEventListener("htmx:afterSettle", function () { fadeToasts(); });

  // Confirmation dialogs. A form holding a <dialog data-confirm-dialog>
  // opens it instead of submitting (after the browser has checked the
  // form's own fields). The dialog's lines show the form's current values
  // (data-confirm-field, as an amount with data-confirm-money); its
  // confirm button submits the form once the reason is valid (required,
  // at most data-max characters), else the message under the field says
  // why in the page's language. Esc or 取消 closes it and nothing is sent.
  function chars(s) { return Array.from(s).length; }

  // money shows an amount as the server will read it: full-width digits,
  // point and comma (１２３．４５, as Chinese input methods type them) become
  // ASCII first, so the dialog restates the normalised amount.
  function money(s) {
    s = (s || "").replace(/[\uFF10-\uFF19]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFEE0); })
      .replace(/\uFF0E/g, ".").replace(/[\uFF0C\uFFE5]/g, function (c) { return c === "\uFF0C" ? "," : "¥"; });
    var m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s.replace(/[¥,\s]/g, ""));
    if (!m) { return s; }
    var yuan = m[1].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return "¥" + yuan + "." + ((m[2] || "") + "00").slice(0, 2);
  }

  function fieldText(form, name) {
    var f = form && form.elements.namedItem(name);
    if (!f) { return ""; }
    if (f.tagName === "SELECT") {
      var o = f.options[f.selectedIndex];
      return o && o.value !== "" ? o.text : "";
    }
    return (f.value || "").trim();
  }

  function reasonError(d, msg) {
    var f = d.querySelector("[data-confirm-reason]");
    var err = d.querySelector("[data-confirm-error]");
    if (!f || !err) { return; }
    if (msg) {
      err.textContent = msg;
      err.hidden = false;
      f.setAttribute("aria-invalid", "true");
    } else {
      err.textContent = "";
      err.hidden = true;
      f.removeAttribute("aria-invalid");
    }
  }

  function reasonValid(d) {
    var f = d.querySelector("[data-confirm-reason]");
    var err = d.querySelector("[data-confirm-error]");
    if (!f || !err) { return true; }
    var n = chars(f.value.trim());
    var max = parseInt(f.getAttribute("data-max") || "0", 10);
    var msg = "";
    if (n === 0 && f.hasAttribute("data-required")) {
      msg = err.getAttribute("data-msg-required");
    } else if (max > 0 && n > max) {
      msg = err.getAttribute("data-msg-max");
    }
    reasonError(d, msg);
    if (msg) { f.focus(); }
    return !msg;
  }

  function openConfirm(d, keepError) {
    var form = d.closest("form");
    d.querySelectorAll("[data-confirm-field]").forEach(function (el) {
      if (!el.hasAttribute("data-empty")) { el.setAttribute("data-empty", el.textContent); }
      var v = fieldText(form, el.getAttribute("data-confirm-field"));
      if (v && el.hasAttribute("data-confirm-money")) { v = money(v); }
      el.textContent = v || el.getAttribute("data-empty");
    });
    if (!keepError) { reasonError(d, ""); }
    if (!d.open) { d.showModal(); }
    var first = d.querySelector("[data-confirm-reason]") || d.querySelector("[data-confirm-accept]");
    if (first) { first.focus(); }
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    var d = form.querySelector && form.querySelector("dialog[data-confirm-dialog]");
    if (!d) { return; }
    if (d.open) {
      // The confirm button (or Enter in the dialog): send unless the
      // reason is wanting.
      if (!reasonValid(d)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    openConfirm(d, false);
  }, true);

  // Typing in the reason clears its message.
  document.addEventListener("input", function (e) {
    var f = e.target;
    if (f.hasAttribute && f.hasAttribute("data-confirm-reason")) {
      var d = f.closest("dialog");
      if (d) { reasonError(d, ""); }
    }
  });

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

  // <details data-menu> row menus: the panel is placed next to its button
  // in the viewport (position: fixed), below it, or above it when there
  // is no room below, so no table or card clips it; it follows its button
  // when the page scrolls and closes once the button leaves the screen.
  function placeMenu(d) {
    var panel = d.querySelector("[data-menu-panel]");
    var button = d.querySelector("summary");
    if (!panel || !button) { return; }
    var r = button.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) { d.removeAttribute("open"); return; }
    panel.style.right = Math.max(8, window.innerWidth - r.right) + "px";
    panel.style.left = "auto";
    panel.style.marginTop = "0";
    var h = panel.offsetHeight;
    if (r.bottom + 4 + h > window.innerHeight && r.top - 4 - h > 0) {
      panel.style.top = (r.top - 4 - h) + "px";
      panel.setAttribute("data-placement", "above");
    } else {
      panel.style.top = (r.bottom + 4) + "px";
      panel.setAttribute("data-placement", "below");
    }
  }
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (d.matches && d.matches("details[data-menu]") && d.open) { placeMenu(d); }
  }, true);
  window.addEventListener("scroll", function () {
    document.querySelectorAll("details[data-menu][open]").forEach(placeMenu);
  }, true);

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

  // Charts (views/components/chart.go): a <div data-chart='{spec}'> is
  // drawn with Apache ECharts, loaded from static/echarts.min.js the
  // first time a page holds a chart. Canvas rendering: the CSP allows no
  // inline style attributes, which ECharts' SVG renderer would write.
  var echartsWaiting = null;
  function withECharts(cb) {
    if (window.echarts) { cb(); return; }
    if (echartsWaiting) { echartsWaiting.push(cb); return; }
    echartsWaiting = [cb];
    var s = document.createElement("script");
    // The fingerprinted URL the page's app.js tag carries (data-echarts).
    var tag = document.querySelector("script[data-echarts]");
    s.src = tag ? tag.getAttribute("data-echarts") : "/static/echarts.min.js";
    s.onload = function () {
      var w = echartsWaiting;
      echartsWaiting = null;
      w.forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }

  function fmt(v, unit) {
    var n = Number(v).toLocaleString(document.documentElement.lang || "zh-CN", { maximumFractionDigits: 2 });
    if (unit === "%") { return n + "%"; }
    return unit ? unit + n : n;
  }

  function chartOption(spec) {
    var unit = spec.unit || "";
    var base = {
      animation: false,
      grid: { left: 8, right: 40, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", valueFormatter: function (v) { return fmt(v, unit); } },
      legend: { show: (spec.series || []).length > 1 || spec.kind === "pie", top: 0 }
    };
    if (spec.kind === "pie") {
      var s0 = (spec.series || [])[0] || { values: [] };
      base.series = [{ type: "pie", radius: ["35%", "65%"], top: 24, name: s0.name,
        data: (spec.categories || []).map(function (c, i) { return { name: c, value: s0.values[i] || 0 }; }) }];
      return base;
    }
    if (spec.kind === "step") {
      var xu = spec.xunit || "";
      base.tooltip = { trigger: "axis", formatter: function (ps) {
        var p = ps[0];
        return fmt(p.value[0], xu) + " → " + fmt(p.value[1], unit);
      } };
      base.xAxis = { type: "value", axisLabel: { formatter: function (v) { return fmt(v, ""); } } };
      base.yAxis = { type: "value", axisLabel: { formatter: function (v) { return fmt(v, unit); } } };
      base.series = (spec.series || []).map(function (s) {
        var line = { type: "line", step: "end", name: s.name, data: s.points, symbolSize: 6 };
        if (spec.mark !== undefined && spec.mark !== null) {
          line.markLine = { symbol: "none", label: { formatter: spec.markLabel || "" },
            data: [{ xAxis: spec.mark }] };
        }
        return line;
      });
      return base;
    }
    base.xAxis = { type: "category", data: spec.categories || [] };
    base.yAxis = { type: "value", axisLabel: { formatter: function (v) { return fmt(v, unit); } } };
    base.series = (spec.series || []).map(function (s) {
      return { type: spec.kind === "line" ? "line" : "bar", name: s.name, data: s.values, stack: s.stack || undefined,
        smooth: spec.kind === "line" };
    });
    return base;
  }

  function drawCharts(root) {
    var els = Array.prototype.slice.call((root || document).querySelectorAll("[data-chart]:not([data-chart-drawn])"));
    if (!els.length) { return; }
    withECharts(function () {
      els.forEach(function (el) {
        el.setAttribute("data-chart-drawn", "1");
        var spec;
        try { spec = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
        var chart = window.echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(chartOption(spec));
        window.addEventListener("resize", function () { chart.resize(); });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(); });
  document.addEventListener("htmx:afterSettle", function (e) { drawCharts(e.target); });
})();
