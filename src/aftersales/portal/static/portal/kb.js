/* The help centre's search box: suggestions arrive by htmx as you type (kb:suggest); this
   script makes the list a keyboard combobox — ↓/↑ move through the articles, Enter opens
   the one chosen (or searches when none is), Escape closes the list. Without JavaScript
   the box is a plain search form. (A refused request inside [data-swap-errors] is swapped
   by aftersales/nav.js.) */
(function () {
  "use strict";

  function setUp(form) {
    var input = form.querySelector("input[role=combobox]");
    var list = input && document.getElementById(input.getAttribute("aria-controls"));
    if (!list || form.getAttribute("data-kb-ready")) return;
    var active = -1;
    var dismissed = false;

    function options() {
      return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    }
    function show(open) {
      open = open && list.children.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) choose(-1);
    }
    function choose(index) {
      var opts = options();
      active = index;
      opts.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && opts[index]) {
        input.setAttribute("aria-activedescendant", opts[index].id);
        if (opts[index].scrollIntoView) opts[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    input.addEventListener("keydown", function (event) {
      var opts = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!opts.length) return;
        event.preventDefault();
        if (list.hidden) {
          dismissed = false;
          show(true);
        }
        var next = event.key === "ArrowDown" ? active + 1 : active - 1;
        if (next >= opts.length) next = 0;
        if (next < -1) next = opts.length - 1;
        choose(next);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && opts[active]) {
          event.preventDefault();
          window.location.assign(opts[active].href);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          dismissed = true;
          show(false);
        }
      }
    });
    input.addEventListener("input", function () {
      dismissed = false;
      if (!input.value.trim()) show(false);
    });
    input.addEventListener("focus", function () {
      if (!dismissed) show(true);
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) show(false);
    });
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();  // keep the focus in the box while a suggestion is clicked
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest && event.target.closest("[role=option]");
      if (option) choose(options().indexOf(option));
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) return;
      options().forEach(function (option, i) {
        option.id = list.id + "-" + i;
      });
      active = -1;
      show(!dismissed && document.activeElement === input && input.value.trim() !== "");
    });
    form.setAttribute("data-kb-ready", "1");  // the box works from here on (tests wait for it)
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-search]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
