/* Repairs pages: a refused form comes back with its 4xx status and the part redrawn with the
   error beside the form. htmx leaves error responses unswapped by default; inside
   [data-swap-errors] they are swapped like any other answer. */
document.addEventListener("htmx:beforeSwap", function (event) {
  "use strict";
  var status = event.detail.xhr.status;
  var target = event.detail.target;
  if (status >= 400 && status < 500 && target && target.closest && target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
