// The seek script: the only script a scene frame runs. scenes/frame.py reads
// this file once, inlines it at the top of every scene document and allows it,
// and nothing else, by its sha256 hash in the frame's Content-Security-Policy.
// Scene code itself runs no script; its animations are CSS, driven from here.
//
// Whoever shows the frame (the preview player, static/chatvideo/player.js, or
// the export renderer) owns the clock: it posts {type: "seek", ms} and this
// answers {type: "seeked", ms} once every animation of the document is paused
// at that time, so a frame is the same picture every time. {type: "ready"}
// says the document has loaded; seeks posted before that may have been lost.
//
// It runs before any of the scene's markup is parsed, so a scene cannot put it
// inside a comment or a <textarea>, and it keeps its own references to what it
// calls, so an element named "getAnimations" cannot stand in for the method.
(function () {
  "use strict";
  var doc = document;
  var parent = window.parent;
  var getAnimations = doc.getAnimations;
  var position = 0;

  function seek(ms) {
    position = ms;
    var animations = getAnimations ? getAnimations.call(doc) : [];
    for (var i = 0; i < animations.length; i++) {
      animations[i].pause();
      animations[i].currentTime = ms;
    }
  }

  window.addEventListener("message", function (event) {
    if (event.source !== parent) return;
    var data = event.data;
    if (!data || data.type !== "seek" || typeof data.ms !== "number" || !isFinite(data.ms)) return;
    var ms = Math.max(0, data.ms);
    seek(ms);
    parent.postMessage({ type: "seeked", ms: ms }, "*");
  });
  // Hold the animations still as soon as they exist, not only from the first seek.
  doc.addEventListener("DOMContentLoaded", function () {
    seek(position);
  });
  window.addEventListener("load", function () {
    seek(position);
    parent.postMessage({ type: "ready" }, "*");
  });
})();
