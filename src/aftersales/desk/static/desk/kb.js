/* The knowledge base in the desk.
   - Case page: "Insert link" / "Insert text" fetch what to insert (JSON) and put it at the
     cursor in the reply box (#reply-body), keeping what was typed around it.
   - Editor: language tabs (links to ?lang=xx without JavaScript), "Insert into text" for a
     file's Markdown, and the tab in use remembered by the forms that redraw the page.
   (A refused htmx request inside [data-swap-errors] is swapped by aftersales/nav.js.) */
(function () {
  "use strict";

  /* Put `text` in place of the selection of `area`. A block of text gets a blank line
     before and after it; a link gets a space where it would touch a word. */
  function insertAt(area, text, block) {
    var start = area.selectionStart, end = area.selectionEnd;
    if (typeof start !== "number") { start = end = area.value.length; }
    var before = area.value.slice(0, start), after = area.value.slice(end);
    var pre = "", post = "";
    if (block) {
      if (before && !/\n\n$/.test(before)) { pre = /\n$/.test(before) ? "\n" : "\n\n"; }
      if (after && !/^\n\n/.test(after)) { post = /^\n/.test(after) ? "\n" : "\n\n"; }
    } else {
      if (before && !/\s$/.test(before)) { pre = " "; }
      if (after && !/^\s/.test(after)) { post = " "; }
    }
    area.focus();
    area.setRangeText(pre + text + post, start, end, "end");
    area.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function say(text) {
    var status = document.getElementById("kb-insert-status");
    if (status) { status.textContent = text || ""; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-insert]");
    if (!button) { return; }
    event.preventDefault();
    var area = document.getElementById("reply-body");
    var panel = button.closest("#kb-panel");
    if (!area || !panel) { return; }
    var isText = /what=text/.test(button.getAttribute("data-kb-insert"));
    button.disabled = true;
    fetch(button.getAttribute("data-kb-insert"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (data) { return {ok: response.ok, data: data}; });
      })
      .then(function (answer) {
        if (!answer.ok) { say(answer.data.detail || panel.getAttribute("data-kb-failed")); return; }
        insertAt(area, answer.data.text, isText);
        say(panel.getAttribute(isText ? "data-kb-done-text" : "data-kb-done-link"));
      })
      .catch(function () { say(panel.getAttribute("data-kb-failed")); })
      .then(function () { button.disabled = false; });
  });

  /* Editor: tabs. */
  function showTab(code, focus) {
    var tabs = document.querySelectorAll("[data-kb-tab]");
    if (!tabs.length) { return; }
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("data-kb-tab") === code;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.setAttribute("tabindex", on ? "0" : "-1");
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) { panel.hidden = !on; }
      if (on && focus) { tab.focus(); }
    });
    document.querySelectorAll("input[name=active]").forEach(function (input) { input.value = code; });
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("lang", code);
      window.history.replaceState(null, "", url.toString());
    }
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest("[data-kb-tab]");
    if (!tab) { return; }
    event.preventDefault();
    showTab(tab.getAttribute("data-kb-tab"), false);
  });

  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("[data-kb-tab]");
    if (!tab || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) { return; }
    var tabs = Array.prototype.slice.call(document.querySelectorAll("[data-kb-tab]"));
    var i = tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : -1);
    var next = tabs[(i + tabs.length) % tabs.length];
    showTab(next.getAttribute("data-kb-tab"), true);
    event.preventDefault();
  });

  /* Editor: a file's Markdown into the text of the tab in use, at the cursor. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-kb-snippet]");
    if (!button) { return; }
    event.preventDefault();
    var code = document.getElementById(button.getAttribute("data-kb-snippet"));
    var panel = document.querySelector(".kb-panel:not([hidden])");
    var area = panel && panel.querySelector("[data-kb-body]");
    if (code && area) { insertAt(area, code.textContent, true); }
  });
})();
