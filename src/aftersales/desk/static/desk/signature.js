/* The customer's signature, drawn on a <canvas> with a finger, a pen or the mouse (pointer
   events), sent as a PNG data URL in the hidden field beside it. Markup:

     <div data-signature>
       <canvas></canvas>
       <input type="hidden" name="signature">
       <button type="button" data-signature-clear>Clear</button>
       <span data-signature-state data-empty="…" data-signed="…"></span>
     </div>

   The canvas has as many pixels as the screen shows (device pixel ratio), and is drawn again
   when its size changes. Strokes are kept in CSS pixels, so nothing is lost on rotation. A
   refused form comes back with the PNG in the field: it is put back on the canvas. Without
   JavaScript the field stays empty and the server says a signature is needed. */
(function () {
  "use strict";

  var MAX_SIDE = 4096; /* the server refuses larger images */
  var PNG_URL = "data:image/png;base64,";

  function setup(root) {
    if (root.getAttribute("data-signature-ready")) {
      return;
    }
    var canvas = root.querySelector("canvas");
    var field = root.querySelector("input[type=hidden]");
    if (!canvas || !field || !canvas.getContext) {
      return;
    }
    root.setAttribute("data-signature-ready", "1");
    var clearButton = root.querySelector("[data-signature-clear]");
    var state = root.querySelector("[data-signature-state]");
    var context = canvas.getContext("2d");
    var strokes = []; /* each a list of {x, y} in CSS pixels */
    var current = null;
    var restored = null; /* an image put back from the field */
    var scale = 1;
    var width = 0;
    var height = 0;

    function style() {
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
    }

    function drawStroke(points) {
      context.beginPath();
      context.moveTo(points[0].x, points[0].y);
      if (points.length === 1) {
        context.lineTo(points[0].x + 0.1, points[0].y + 0.1); /* a dot */
      }
      for (var i = 1; i < points.length; i += 1) {
        context.lineTo(points[i].x, points[i].y);
      }
      context.stroke();
    }

    function redraw() {
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.clearRect(0, 0, canvas.width, canvas.height);
      if (restored) {
        context.drawImage(restored, 0, 0, canvas.width, canvas.height);
      }
      context.setTransform(scale, 0, 0, scale, 0, 0);
      style();
      strokes.forEach(drawStroke);
    }

    function resize() {
      var rect = canvas.getBoundingClientRect();
      var w = Math.max(1, Math.round(rect.width));
      var h = Math.max(1, Math.round(rect.height));
      if (w === width && h === height) {
        return;
      }
      width = w;
      height = h;
      scale = Math.min(window.devicePixelRatio || 1, MAX_SIDE / w, MAX_SIDE / h);
      canvas.width = Math.max(16, Math.round(w * scale));
      canvas.height = Math.max(16, Math.round(h * scale));
      redraw();
    }

    function signed() {
      return strokes.length > 0 || restored !== null;
    }

    function show() {
      root.classList.toggle("signed", signed());
      if (state) {
        state.textContent = state.getAttribute(signed() ? "data-signed" : "data-empty") || "";
      }
    }

    function save() {
      field.value = signed() ? canvas.toDataURL("image/png") : "";
      show();
    }

    function at(event) {
      var rect = canvas.getBoundingClientRect();
      return {x: event.clientX - rect.left, y: event.clientY - rect.top};
    }

    canvas.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) {
        return;
      }
      event.preventDefault();
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      current = [at(event)];
      strokes.push(current);
      style();
      drawStroke(current);
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!current) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      if (!events.length) {
        events = [event];
      }
      var last = current[current.length - 1];
      context.beginPath();
      context.moveTo(last.x, last.y);
      events.forEach(function (e) {
        var p = at(e);
        current.push(p);
        context.lineTo(p.x, p.y);
      });
      context.stroke();
    });

    function end() {
      if (current) {
        current = null;
        save();
      }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("lostpointercapture", end);

    if (clearButton) {
      clearButton.addEventListener("click", function () {
        strokes = [];
        current = null;
        restored = null;
        redraw();
        save();
      });
    }

    if (window.ResizeObserver) {
      new ResizeObserver(resize).observe(canvas);
    } else {
      window.addEventListener("resize", resize);
    }
    resize();

    if (field.value.indexOf(PNG_URL) === 0) {
      var image = new Image();
      image.onload = function () {
        restored = image;
        redraw();
        show();
      };
      image.onerror = function () {
        field.value = "";
        show();
      };
      image.src = field.value;
    } else {
      field.value = "";
      show();
    }
  }

  function init(scope) {
    if (scope.matches && scope.matches("[data-signature]")) {
      setup(scope);
    }
    if (scope.querySelectorAll) {
      Array.prototype.forEach.call(scope.querySelectorAll("[data-signature]"), setup);
    }
  }

  init(document);
  /* htmx redraws parts of the page: set up the canvases that arrive with them */
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
}());
