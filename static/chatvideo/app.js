// Small behaviours htmx does not cover. No inline scripts, no eval.
(function () {
  "use strict";

  // Enter sends, Shift+Enter makes a new line.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (!(field instanceof HTMLTextAreaElement) || !field.form || field.form.id !== "composer") return;
    event.preventDefault();
    field.form.requestSubmit();
  });

  function scrollChatToEnd() {
    var log = document.getElementById("chat-log");
    if (log) log.scrollTop = log.scrollHeight;
  }

  document.addEventListener("DOMContentLoaded", scrollChatToEnd);

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "chat-log" || event.target.closest && event.target.closest("#chat-log")) {
      scrollChatToEnd();
    }
    // The composer is replaced after each send; keep typing where you were.
    var composer = document.getElementById("composer");
    if (composer && event.target === composer) {
      var field = composer.querySelector("textarea");
      if (field) field.focus();
    }
  });

  // A pending message calls its task view again now and then (see
  // _message.html). When the reply has meanwhile ended (answered elsewhere,
  // or given up on by recover_messages) and this tab missed the event, the
  // view answers 409 with the finished message: show it, error and Retry
  // included, instead of leaving the dots.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.elt;
    if (event.detail.xhr.status !== 409 || !elt.matches || !elt.matches("article.message[data-status='pending']")) return;
    if (!event.detail.serverResponse || event.detail.serverResponse.indexOf("<article") === -1) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  });

  // When the stream reconnects from scratch, anything missed while it was
  // down is fetched from the database instead of guessed.
  var opened = false;
  document.addEventListener("htmx:sseOpen", function () {
    if (opened) document.body.dispatchEvent(new CustomEvent("chatvideo:resync"));
    opened = true;
    var notice = document.getElementById("stream-notice");
    if (notice) notice.remove();
  });

  // One account may keep only so many streams open (429). An EventSource
  // cannot see a status, so when it has given up, ask once and say why; the
  // extension keeps retrying, and the notice goes once a stream opens.
  document.addEventListener("htmx:sseError", function (event) {
    var source = event.detail.source;
    if (!source || source.readyState !== EventSource.CLOSED) return;
    var ask = new AbortController();
    fetch(source.url, { signal: ask.signal, headers: { Accept: "text/event-stream" } }).then(function (response) {
      ask.abort(); // a stream that did open is not kept
      if (response.status !== 429 || document.getElementById("stream-notice")) return;
      var notice = document.createElement("p");
      notice.id = "stream-notice";
      notice.className = "stream-notice";
      notice.setAttribute("role", "alert");
      notice.textContent = "Too many open tabs of chatvideo; close some and reload.";
      document.body.prepend(notice);
    }).catch(function () {});
  });
})();
