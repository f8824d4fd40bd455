// Scene thumbnails (templates/scenes/_thumbnail.html): a placeholder becomes
// the image once the worker has drawn it (exports/thumbnails.py).
//
// The worker's "thumbnail" event carries a scene id only; htmx then fetches
// which scenes' images are ready ([data-thumbnails] in the scene list, one
// small JSON answer) and this swaps them in. Events from the worker reach
// this page only through Redis (REDIS_URL); without it the same answer is
// polled while a placeholder is waiting, as export cards poll their progress.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var MAX_POLLS = 150; // five minutes; the next page load shows what came later
  var polls = 0;
  var timer = 0;

  function waiting() {
    return document.querySelectorAll(".thumb-pending[data-thumbnail-for]");
  }

  function apply(ready) {
    var pending = waiting();
    for (var i = 0; i < pending.length; i++) {
      var placeholder = pending[i];
      var url = ready[placeholder.dataset.thumbnailFor];
      if (!url) continue;
      var image = document.createElement("img");
      image.className = placeholder.className.replace("thumb-pending", "").trim();
      image.alt = "";
      image.decoding = "async";
      image.src = url;
      image.dataset.thumbnailFor = placeholder.dataset.thumbnailFor;
      placeholder.replaceWith(image);
    }
  }

  function check() {
    timer = 0;
    var source = document.querySelector("[data-thumbnails]");
    if (!source || !waiting().length || polls >= MAX_POLLS) return;
    polls++;
    fetch(source.getAttribute("hx-get"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) apply(answer.thumbnails || {});
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    if (!timer) timer = setTimeout(check, POLL_MS);
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var source = event.detail.elt;
    if (!source || !source.hasAttribute || !source.hasAttribute("data-thumbnails")) return;
    if (!event.detail.successful) return;
    try {
      apply(JSON.parse(event.detail.xhr.responseText).thumbnails || {});
    } catch (error) {
      // Not an answer we know: the next poll or page load shows the images.
    }
  });
  // A re-rendered scene list may bring new placeholders (a scene added or changed).
  document.addEventListener("htmx:afterSwap", function () {
    polls = 0;
    schedule();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", schedule);
  else schedule();
})();
