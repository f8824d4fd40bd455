// The chat follows the project's event stream one message at a time.
//
// A "chat" event carries a message id and its status. The page fetches that
// one message and swaps it in place; a message it does not have yet means
// new messages, so it fetches the ones after its last and appends them, in
// order, each once. Nothing is fetched when the page already shows the
// message in that state (the task response swapped the finished reply in),
// or while the message's own task call is in flight (its response will).
// An event without an id, a stream reset and chatvideo:resync still
// re-render the whole window (the hx-get on #chat-log).
//
// The chat holds a window of the newest messages; "Earlier messages" (see
// _earlier.html) loads the window before in its place, and the reader stays
// where they were. No inline scripts, no eval.
(function () {
  "use strict";

  function chatLog() {
    return document.getElementById("chat-log");
  }

  function lastSeq(log) {
    var messages = log.querySelectorAll("article[data-seq]");
    if (!messages.length) return 0;
    return Number(messages[messages.length - 1].dataset.seq) || 0;
  }

  // One append at a time, each from the page's last message, so two events
  // in a row cannot append the same messages twice.
  var appending = false;
  var appendAgain = false;

  function appendNewer(log) {
    if (appending) {
      appendAgain = true;
      return;
    }
    appending = true;
    var url = log.getAttribute("hx-get") + "?after=" + lastSeq(log);
    htmx
      .ajax("GET", url, { source: log, target: log, swap: "beforeend" })
      .catch(function () {})
      .then(function () {
        appending = false;
        if (appendAgain) {
          appendAgain = false;
          appendNewer(log);
        }
      });
  }

  function fetchMessage(log, article) {
    var url = log.dataset.messageUrl.replace(/\/0\/item\/$/, "/" + article.dataset.messageId + "/item/");
    htmx.ajax("GET", url, { source: article, target: article, swap: "outerHTML" }).catch(function () {});
  }

  function messageChanged(log, id, status) {
    var article = document.getElementById("message-" + id);
    if (!article) {
      appendNewer(log);
      return;
    }
    if (article.dataset.status === status) return; // already shown as it is
    if (article.classList.contains("htmx-request")) {
      // Its task call is in flight and answers with the message; if it
      // answers without (204: another tab ran it), fetch it then.
      article.dataset.expectStatus = status;
      return;
    }
    fetchMessage(log, article);
  }

  document.addEventListener("htmx:confirm", function (event) {
    var log = event.detail.elt;
    var trigger = event.detail.triggeringEvent;
    if (!log || log.id !== "chat-log" || !trigger || trigger.type !== "sse:chat") return;
    var data;
    try {
      data = JSON.parse(trigger.detail.data);
    } catch (error) {
      return; // no id: the whole window re-renders
    }
    var id = Number(data && data.message_id);
    if (!Number.isInteger(id) || id <= 0 || typeof data.status !== "string") return;
    event.preventDefault();
    messageChanged(log, id, data.status);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var article = event.detail.elt;
    if (!article || !article.dataset || !article.dataset.expectStatus) return;
    var status = article.dataset.expectStatus;
    delete article.dataset.expectStatus;
    var log = chatLog();
    // Still here and still not in that state: the response did not bring it.
    if (log && article.isConnected && article.dataset.status !== status) fetchMessage(log, article);
  });

  // Appended messages the page already has (an event and a full re-render
  // crossing) are left out, so each message is on the page once.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var log = chatLog();
    if (!log || event.detail.target !== log || !event.detail.requestConfig) return;
    var path = event.detail.requestConfig.path || "";
    if (path.indexOf("?after=") === -1 || event.detail.xhr.getResponseHeader("HX-Reswap")) return;
    var template = document.createElement("template");
    template.innerHTML = event.detail.serverResponse;
    var last = lastSeq(log);
    template.content.querySelectorAll("article[data-message-id]").forEach(function (article) {
      if (document.getElementById(article.id) || Number(article.dataset.seq) <= last) article.remove();
    });
    event.detail.serverResponse = template.innerHTML;
  });

  // "Earlier messages": remember the distance from the bottom, and restore it
  // once the older messages are in (app.js scrolls the chat to its end on
  // every swap; this listener runs after it).
  var fromBottom = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    var log = chatLog();
    if (!log || !elt || !elt.matches || !elt.matches("[data-chat-earlier]")) return;
    fromBottom = log.scrollHeight - log.scrollTop;
  });

  document.addEventListener("htmx:afterSwap", function () {
    var log = chatLog();
    if (log) {
      // The first message took the place of the empty-chat hint.
      var hint = log.querySelector(".empty-chat");
      if (hint && log.querySelector("article[data-message-id]")) hint.remove();
      // One Undo button: a message swapped in with it takes it from the others.
      var undos = log.querySelectorAll("form[data-undo-for]");
      if (undos.length > 1) {
        var newest = null;
        undos.forEach(function (form) {
          var article = form.closest("article");
          if (!newest || (article && Number(article.dataset.seq) > Number(newest.closest("article").dataset.seq))) {
            newest = form;
          }
        });
        undos.forEach(function (form) {
          if (form !== newest) form.remove();
        });
      }
    }
    if (fromBottom !== null && log) log.scrollTop = log.scrollHeight - fromBottom;
  });

  // afterSwap comes once per swapped element; the place is kept through all of them.
  document.addEventListener("htmx:afterSettle", function () {
    var log = chatLog();
    if (fromBottom !== null && log) log.scrollTop = log.scrollHeight - fromBottom;
    fromBottom = null;
  });

  // The composer counts characters once a message nears the server's limit
  // (data-max-chars on the textarea, which has no maxlength: that would cut
  // a long paste without a word), and says by how much one is over it. Send
  // still posts; the server refuses with its message and keeps the text.
  // Counted as the server counts: without surrounding whitespace, by code
  // point (Python's len; a JS string's length counts an emoji twice).
  var COUNT_FROM = 0.9;

  function formatCount(n) {
    return n.toLocaleString("en-US");
  }

  function updateCount() {
    var field = document.querySelector("#composer textarea[data-max-chars]");
    var counter = document.getElementById("composer-count");
    if (!field || !counter) return;
    var limit = Number(field.dataset.maxChars);
    var length = Array.from(field.value.trim()).length;
    var over = length - limit;
    var text = "";
    if (over > 0) {
      text = formatCount(over) + (over === 1 ? " character" : " characters") + " too long";
    } else if (length >= limit * COUNT_FROM) {
      text = formatCount(length) + " / " + formatCount(limit);
    }
    // Unchanged text is not written again, so a screen reader is not told twice.
    if (counter.textContent !== text) counter.textContent = text;
    counter.classList.toggle("over", over > 0);
  }

  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLTextAreaElement && event.target.closest("#composer")) updateCount();
  });
  // The page's first composer, and each one the server sends back (a refused
  // message comes back in it, still too long).
  document.addEventListener("DOMContentLoaded", updateCount);
  document.addEventListener("htmx:load", updateCount);
})();
