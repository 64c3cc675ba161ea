/* Versus: the pair picker and the code filter, a progressive enhancement. Without this file
   every code and every comparison is still reachable by plain links; with it, a form marked
   `data-picker` goes straight to the page comparing the two chosen codes, and an input marked
   `data-filter` narrows a list as you type. No request to any other host. */
(function () {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  function chosen(select) {
    return select.options[select.selectedIndex];
  }

  function picker(form) {
    var protocol = form.querySelector("select[data-protocol]");
    var selects = form.querySelectorAll("select[data-code]");
    var message = form.querySelector("[data-message]");
    // The first select holds every code (in an optgroup per protocol on the home page); the
    // second gets a copy of the chosen protocol's codes.
    var groups = {};
    each(selects[0].querySelectorAll("optgroup"), function (g) {
      groups[g.getAttribute("data-protocol")] = g.cloneNode(true);
    });
    var source = selects[0].cloneNode(true);
    function fill() {
      var from = protocol ? groups[protocol.value] : source;
      each(selects, function (s, i) {
        s.textContent = "";
        if (from) each(from.querySelectorAll("option"), function (o) { s.appendChild(o.cloneNode(true)); });
        // Two different codes to start with.
        if (s.options.length > i) s.selectedIndex = i;
      });
    }
    if (protocol) protocol.addEventListener("change", fill);
    if (protocol || selects.length > 1) fill();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var codes = [];
      each(selects, function (s) { codes.push(chosen(s)); });
      // A code page's picker: each option knows the page of its pair.
      if (codes.length === 1) {
        if (codes[0]) window.location.href = form.getAttribute("data-root") + codes[0].getAttribute("data-path");
        return;
      }
      var x = codes[0], y = codes[1];
      if (!x || !y || x.value === y.value) {
        message.textContent = message.getAttribute("data-message");
        return;
      }
      message.textContent = "";
      // A pair page is named by its codes in natural order, whichever order they were chosen in.
      if (Number(x.getAttribute("data-i")) > Number(y.getAttribute("data-i"))) {
        var t = x; x = y; y = t;
      }
      var pair = x.value + "-vs-" + y.value;
      var from = protocol ? protocol.options[protocol.selectedIndex] : form;
      // A pair this language leaves out (`fallback: skip`) is read in the default language.
      var away = x.hasAttribute("data-away") || y.hasAttribute("data-away") ||
        (" " + from.getAttribute("data-away-pairs") + " ").indexOf(" " + pair + " ") !== -1;
      window.location.href = from.getAttribute(away ? "data-away-base" : "data-base") + pair + "/";
    });
    var box = form.closest("[hidden]") || form;
    box.hidden = false;
    form.hidden = false;
  }

  function normal(s) {
    return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function filter(input) {
    var list = document.getElementById(input.getAttribute("data-filter"));
    if (!list) return;
    var status = input.parentNode.querySelector("[role=status]");
    var items = [];
    each(list.querySelectorAll("li"), function (li) {
      var a = li.querySelector("a");
      if (a) items.push([li, normal(a.textContent)]);
    });
    input.addEventListener("input", function () {
      var q = normal(input.value), shown = 0;
      items.forEach(function (item) {
        var hit = item[1].indexOf(q) !== -1;
        item[0].hidden = !hit;
        if (hit) shown++;
      });
      each(list.querySelectorAll("[data-filter-group]"), function (g) {
        g.hidden = !g.querySelector("li:not([hidden])");
      });
      if (status) status.textContent = shown ? "" : input.getAttribute("data-none");
    });
    input.parentNode.hidden = false;
  }

  each(document.querySelectorAll("form[data-picker]"), picker);
  each(document.querySelectorAll("input[data-filter]"), filter);
})();
