// The project page's layout (templates/projects/project_detail.html).
//
// On narrow screens chat and preview are two tabs (app.css shows one
// section at a time from the grid's data-tab); on wide ones both show and
// the tabs are hidden. The composer has the focus when the page opens, so
// you can type straight away; Escape leaves it, so the player's keys work.
// No inline scripts, no eval.
(function () {
  "use strict";

  function showTab(name, focus) {
    var grid = document.querySelector(".workspace-grid");
    if (!grid) return;
    grid.dataset.tab = name;
    document.querySelectorAll("[data-workspace-tab]").forEach(function (tab) {
      var selected = tab.dataset.workspaceTab === name;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) tab.focus();
    });
    if (name === "chat") {
      // The chat was hidden, so it could not keep its place at the end.
      var log = document.getElementById("chat-log");
      if (log) log.scrollTop = log.scrollHeight;
    }
  }

  document.addEventListener("click", function (event) {
    var tab = event.target instanceof Element ? event.target.closest("[data-workspace-tab]") : null;
    if (tab) showTab(tab.dataset.workspaceTab, false);
  });

  // Arrow keys move between the tabs, as in any tab list.
  document.addEventListener("keydown", function (event) {
    var tab = event.target instanceof Element ? event.target.closest("[data-workspace-tab]") : null;
    if (!tab || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    event.preventDefault();
    event.stopPropagation();
    showTab(tab.dataset.workspaceTab === "chat" ? "preview" : "chat", true);
  }, true);

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Escape" || !(field instanceof HTMLTextAreaElement) || !field.closest("#composer")) return;
    field.blur();
  });

  // A chat read at its end stays at its end when its box changes size (a
  // phone turned, the keyboard opened, the window resized).
  function keepChatAtEnd() {
    var log = document.getElementById("chat-log");
    if (!log || typeof ResizeObserver !== "function") return;
    var atEnd = true;
    log.addEventListener("scroll", function () {
      atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 4;
    });
    new ResizeObserver(function () {
      if (atEnd) log.scrollTop = log.scrollHeight;
    }).observe(log);
  }

  function focusComposer() {
    var field = document.querySelector("#composer textarea");
    // Without scrolling the page: the chat keeps showing its newest message.
    if (field) field.focus({ preventScroll: true });
  }

  function start() {
    keepChatAtEnd();
    focusComposer();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
