// The case page's SLA panel is drawn again every minute and after every change; keep its
// "SLA history" open or closed as the reader left it.
(function () {
  "use strict";
  var open = false;
  document.addEventListener("toggle", function (event) {
    if (event.target && event.target.id === "sla-history") { open = event.target.open; }
  }, true);  // toggle does not bubble: listen while it comes down
  function restore(root) {
    var details = root && root.id === "sla-history" ? root : root && root.querySelector && root.querySelector("#sla-history");
    if (details && open && !details.open) { details.open = true; }
  }
  if (window.htmx) { window.htmx.onLoad(restore); }
  document.documentElement.setAttribute("data-sla-ready", "1");  // tests wait for this
})();
