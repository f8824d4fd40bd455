// The scene list as controls (templates/scenes/_scene_controls.html).
//
// A click on a scene shows it in the preview (through its timeline segment,
// so the player seeks as it does for the timeline). The move, duplicate and
// delete forms are posted from here: the server answers with the chat note's
// text, said in #scene-status, and every open page, this one too, re-renders
// the scenes and the chat from the event stream. A failed control says why
// and re-renders the list, so a drop that was refused does not stay.
// Dragging a scene's handle reorders (mouse, pen and touch alike); the Move
// up and Move down buttons do the same from the keyboard, and the focus
// follows the moved scene. No inline scripts, no eval, no libraries.
(function () {
  "use strict";

  var refocus = null; // {id, move} after a move from the keyboard or a click
  var drag = null; // the scene being dragged
  var undoing = false; // Undo beside a note was pressed; its scenes have not come yet

  function closest(target, selector) {
    return target instanceof Element ? target.closest(selector) : null;
  }

  function say(text, isError, noteId) {
    var box = document.getElementById("scene-status");
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("is-error", !!isError);
    if (noteId) {
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "ghost";
      undo.textContent = "Undo";
      undo.dataset.sceneUndo = noteId;
      box.appendChild(undo);
    }
  }

  function reloadList() {
    var list = document.getElementById("scene-list");
    if (!list || !window.htmx) return;
    htmx.ajax("GET", list.getAttribute("hx-get"), { source: list, target: list, swap: "innerHTML" }).catch(function () {});
  }

  function post(form, data) {
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    return fetch(form.action, { method: "POST", body: data, headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
          if (response.ok) {
            say(text, false, form.hasAttribute("data-scene-delete") ? response.headers.get("X-Note-Id") : null);
            if (form.hasAttribute("data-scene-delete")) focusUndo();
            return;
          }
          refocus = null;
          say(plain && text ? text : "That did not work (" + response.status + "); nothing changed.", true);
          reloadList();
        });
      })
      .catch(function () {
        refocus = null;
        say("The server could not be reached; nothing changed.", true);
        reloadList();
      });
  }

  function focusUndo() {
    var undo = document.querySelector("#scene-status [data-scene-undo]");
    if (undo) undo.focus();
  }

  function positionOf(item) {
    return Array.prototype.indexOf.call(item.parentElement.children, item) + 1;
  }

  // Plain form posts, taken over.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-scene-control")) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var item = form.closest("li[data-scene-id]");
    if (form.hasAttribute("data-scene-move") && submitter && item) {
      refocus = { id: item.dataset.sceneId, move: submitter.dataset.move };
    }
    post(form, new FormData(form, submitter));
  });

  // A click on the card (its seek button covers it) shows the scene.
  document.addEventListener("click", function (event) {
    var seek = closest(event.target, "[data-scene-seek]");
    if (seek) {
      var item = seek.closest("li[data-scene-id]");
      var segment = item && document.querySelector('[data-segment-scene-id="' + item.dataset.sceneId + '"]');
      if (segment) segment.click();
      return;
    }
    var undo = closest(event.target, "[data-scene-undo]");
    if (undo) {
      // The chat's own Undo, while it is still this note's (it reverts the latest change).
      var form = document.querySelector('#chat-log form[data-undo-for="' + undo.dataset.sceneUndo + '"]');
      if (form) {
        form.requestSubmit();
        undoing = true;
        say("Undoing\u2026", false);
      } else {
        say("Something changed since; use Undo in the chat.", true);
      }
    }
  });

  // After a move, the re-rendered list gets the focus back on the moved scene.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "scene-list") return;
    if (undoing) {
      // The scenes are back; the chat has the reply that says so.
      undoing = false;
      say("", false);
    }
    if (!refocus) return;
    var item = event.target.querySelector('li[data-scene-id="' + refocus.id + '"]');
    if (!item) return;
    var button = item.querySelector('[data-move="' + refocus.move + '"]');
    if (!button || button.disabled) button = item.querySelector("[data-move]:not([disabled])");
    if (button) button.focus();
    refocus = null;
  });

  // Drag and drop with pointer events, so touch works as well as a mouse.
  document.addEventListener("pointerdown", function (event) {
    var handle = closest(event.target, "[data-scene-drag]");
    if (!handle || event.button !== 0) return;
    var item = handle.closest("li[data-scene-id]");
    if (!item) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    drag = { pointerId: event.pointerId, item: item, list: item.parentElement, next: item.nextElementSibling, from: positionOf(item), y: event.clientY };
    drag.scroller = scrollerOf(drag.list);
    item.classList.add("is-dragging");
    drag.scrolling = requestAnimationFrame(autoScroll);
  });

  // Put the dragged scene where the pointer is among the others.
  function place() {
    var others = Array.prototype.filter.call(drag.list.children, function (li) { return li !== drag.item; });
    var before = null;
    for (var i = 0; i < others.length; i++) {
      var box = others[i].getBoundingClientRect();
      if (drag.y < box.top + box.height / 2) {
        before = others[i];
        break;
      }
    }
    if (drag.item.nextElementSibling !== before) drag.list.insertBefore(drag.item, before);
  }

  // What scrolls the list: the list itself, or (on a phone, where the list
  // runs its whole length in the Preview tab) the first box around it that does.
  function scrollerOf(list) {
    for (var box = list; box && box !== document.body; box = box.parentElement) {
      var overflow = getComputedStyle(box).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight) return box;
    }
    return document.scrollingElement;
  }

  // The part of the list on screen: inside its scroller, under a player that
  // sticks over it (the phone's Preview tab).
  function shownEdges(list, scroller) {
    var edges = list.getBoundingClientRect();
    var top = Math.max(edges.top, 0), bottom = Math.min(edges.bottom, window.innerHeight);
    if (scroller !== list && scroller !== document.scrollingElement) {
      var box = scroller.getBoundingClientRect();
      top = Math.max(top, box.top);
      bottom = Math.min(bottom, box.bottom);
    }
    var player = document.querySelector("#scene-list > .player");
    if (player && getComputedStyle(player).position === "sticky") top = Math.max(top, player.getBoundingClientRect().bottom);
    return { top: top, bottom: bottom };
  }

  // Held near the top or bottom edge of the list's shown part, the pointer
  // scrolls it, so a long list can be dragged along; the scene follows.
  function autoScroll() {
    if (!drag) return;
    var edges = shownEdges(drag.list, drag.scroller);
    var step = drag.y < edges.top + 32 ? -10 : drag.y > edges.bottom - 32 ? 10 : 0;
    var was = drag.scroller.scrollTop;
    if (step) drag.scroller.scrollTop = was + step;
    if (drag.scroller.scrollTop !== was) place();
    drag.scrolling = requestAnimationFrame(autoScroll);
  }

  document.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointerId) return;
    drag.y = event.clientY;
    place();
  });

  function endDrag(event, cancelled) {
    if (!drag || (event && event.pointerId !== drag.pointerId)) return;
    var ended = drag;
    drag = null;
    cancelAnimationFrame(ended.scrolling);
    ended.item.classList.remove("is-dragging");
    if (cancelled) {
      ended.list.insertBefore(ended.item, ended.next);
      return;
    }
    if (!ended.item.isConnected) return; // the list was re-rendered meanwhile
    var to = positionOf(ended.item);
    if (to === ended.from) return;
    var form = ended.item.querySelector("form[data-scene-move]");
    var data = new FormData(form);
    data.set("position", String(to));
    post(form, data);
  }

  document.addEventListener("pointerup", function (event) { endDrag(event, false); });
  document.addEventListener("pointercancel", function (event) { endDrag(event, true); });
  document.addEventListener("keydown", function (event) {
    if (drag && event.key === "Escape") endDrag(null, true);
  });
})();
