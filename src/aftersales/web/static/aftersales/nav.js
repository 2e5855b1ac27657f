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
