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

  // Logged out (in another tab, or the session expired): an htmx request
  // is answered with an HX-Redirect to the login page, next= this page
  // (chatvideo/login_redirect.py). The page goes there, and what was typed
  // in the composer is kept for this tab and project and put back once the
  // user is on the project again.
  function draftKey() {
    var composer = document.getElementById("composer");
    return composer ? "chatvideo:draft:" + composer.getAttribute("action") : null;
  }

  function keepDraft() {
    var key = draftKey();
    var field = key && document.querySelector("#composer textarea");
    if (!field || !field.value.trim()) return;
    try {
      sessionStorage.setItem(key, field.value);
    } catch (error) {} // storage full or refused: the page still goes
  }

  function restoreDraft() {
    var key = draftKey();
    var field = key && document.querySelector("#composer textarea");
    if (!field) return;
    var text = null;
    try {
      text = sessionStorage.getItem(key);
      sessionStorage.removeItem(key);
    } catch (error) {}
    if (text === null || field.value) return;
    field.value = text;
    field.dispatchEvent(new Event("input", { bubbles: true })); // counters follow
  }

  document.addEventListener("DOMContentLoaded", restoreDraft);

  var leaving = false;
  function leaveForLogin(url) {
    if (leaving) return;
    leaving = true;
    keepDraft();
    window.location.assign(url);
  }

  // Heard first (the window, capture phase), and not passed on: with DEBUG
  // on, django-htmx's script (loaded before this one) listens on the
  // document and puts a 403's body in place of the whole page, which would
  // take the composer, and its text, away before it is kept.
  window.addEventListener(
    "htmx:beforeOnLoad",
    function (event) {
      var url = event.detail.xhr.getResponseHeader("HX-Redirect");
      if (!url) return;
      event.preventDefault(); // nothing is swapped; the page leaves here
      event.stopPropagation();
      event.detail.keepIndicators = true; // Send stays disabled meanwhile
      leaveForLogin(url);
    },
    true
  );

  // The stream ended (a stream-error: the server re-checked it and refused)
  // or cannot reconnect: ask the stream's URL once, as htmx would, and act
  // on the answer. A session that ended gets the HX-Redirect above; one
  // account may keep only so many streams open (429), which an EventSource
  // cannot see, so say why. The extension keeps retrying either way, and
  // the notice goes once a stream opens.
  var asking = false;
  function askWhyStreamStopped(url) {
    if (asking || leaving) return;
    asking = true;
    var ask = new AbortController();
    fetch(url, {
      signal: ask.signal,
      credentials: "same-origin",
      headers: { Accept: "text/event-stream", "HX-Request": "true", "HX-Current-URL": window.location.href },
    }).then(function (response) {
      ask.abort(); // a stream that did open is not kept
      var login = response.headers.get("HX-Redirect");
      if (login) leaveForLogin(login);
      else if (response.status === 429) sayTooManyTabs();
    }).catch(function () {}).then(function () {
      asking = false;
    });
  }

  function sayTooManyTabs() {
    if (document.getElementById("stream-notice")) return;
    var notice = document.createElement("p");
    notice.id = "stream-notice";
    notice.className = "stream-notice";
    notice.setAttribute("role", "alert");
    notice.textContent = "Too many open tabs of chatvideo; close some and reload.";
    document.body.prepend(notice);
  }

  function onStreamError(event) {
    askWhyStreamStopped(event.target.url);
  }

  document.addEventListener("htmx:sseOpen", function (event) {
    var source = event.detail.source;
    if (source) source.addEventListener("stream-error", onStreamError); // once per source
  });

  document.addEventListener("htmx:sseError", function (event) {
    var source = event.detail.source;
    if (source && source.readyState === EventSource.CLOSED) askWhyStreamStopped(source.url);
  });
})();
