// The header menu on narrow screens: one button shows and hides the navigation.
// Without JavaScript the navigation simply stays open (base.css keys on html.js).
(function () {
  "use strict";
  function setUp() {
    var toggle = document.querySelector("header.top .nav-toggle");
    var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) return;
    function show(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    toggle.addEventListener("click", function () {
      show(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        show(false);
        toggle.focus();
      }
    });
    toggle.setAttribute("data-ready", "1");  // the button works from here on (tests wait for it)
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

// Every page: a refused htmx request (4xx) answers with the part redrawn and the message beside
// the form. htmx leaves error answers unswapped; inside [data-swap-errors] they are swapped like
// any other answer, so the message shows where the person is looking. A whole error page (a 404
// for something gone meanwhile, a CSRF refusal) is not a part: it is never swapped into one.
document.addEventListener("htmx:beforeSwap", function (event) {
  "use strict";
  var xhr = event.detail.xhr;
  var target = event.detail.target;
  if (xhr.status < 400 || xhr.status >= 500 || !target || !target.closest || !target.closest("[data-swap-errors]")) {
    return;
  }
  if (/^\s*(<!doctype|<html[\s>])/i.test((xhr.responseText || "").slice(0, 300))) {
    return;
  }
  event.detail.shouldSwap = true;
  event.detail.isError = false;
});
