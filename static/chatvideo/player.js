// The preview player (templates/scenes/_player.html).
//
// Each scene plays in its own sandboxed iframe, served with a small seek
// script (static/chatvideo/seek.js, inlined by scenes/frame.py). Time lives here, in the parent page: a
// requestAnimationFrame loop turns elapsed time into a frame number at the
// project's fps and posts {type: "seek", ms} to the current scene's iframe
// on every new frame. The scene's animations never run on their own clock,
// so a given frame is always the same picture.
//
// The player is rendered inside #scene-list, which htmx re-renders from the
// database when scenes change. Each render gets a fresh Player; the old one
// is stopped (no rAF loop or observer left behind) and the new one keeps what
// was on screen, playing if the old one was (see startAt): the same scene at
// the same point in it, even when scenes before it were moved or deleted.
// Deleting the scene on screen shows the one now in its place, the next one,
// or the new last one when it was last; never the faded-out end of another
// scene. Once every scene is gone, the next one opens as on a fresh page.
// A scene whose frame does not answer a seek within SEEK_TIMEOUT_MS is named
// in an error under the stage; the other scenes play on, and a late answer
// clears the error.
// No inline scripts, no eval, no libraries.
(function () {
  "use strict";

  // The same number as scenes.frame.SEEK_TIMEOUT_MS, which the export uses.
  var SEEK_TIMEOUT_MS = 5000;

  var player = null; // the Player for the [data-player] on the page, if any
  // Survives a re-render; frame null: a fresh page (see startAt).
  var FRESH = {
    frame: null, playing: false, loop: false, sceneIds: null, posterOf: null, sceneId: null, into: 0, atEnd: false,
  };
  var carried = FRESH;

  function formatTime(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds - minutes * 60;
    var text = rest.toFixed(2);
    if (rest < 10) text = "0" + text;
    return minutes + ":" + text;
  }

  function Player(root, start) {
    var self = this;
    this.root = root;
    this.fps = parseInt(root.dataset.fps, 10) || 30;
    this.width = parseInt(root.dataset.width, 10) || 1920;
    this.height = parseInt(root.dataset.height, 10) || 1080;
    this.stage = root.querySelector("[data-player-stage]");
    this.button = root.querySelector("[data-player-play]");
    this.buttonLabel = root.querySelector("[data-player-label]") || this.button;
    this.scrubber = root.querySelector("[data-player-scrubber]");
    this.timeDisplay = root.querySelector("[data-player-time]");
    this.sceneLabel = root.querySelector("[data-player-scene]");
    this.playhead = root.querySelector("[data-player-playhead]");
    this.timeline = root.querySelector("[data-player-timeline]");
    this.loopButton = root.querySelector("[data-player-loop]");
    this.fullscreenButton = root.querySelector("[data-player-fullscreen]");
    this.loop = !!start.loop;
    this.rafId = 0;
    this.playing = false;
    this.frame = -1;
    this.current = null;

    // Scenes in order, each with its timeline segment, first frame and, while
    // it is current or next to the current one, its iframe (see showAround).
    var segments = root.querySelectorAll("[data-segment-scene-id]");
    var container = root.parentElement || document;
    var items = container.querySelectorAll("li.scene[data-scene-id]");
    var itemById = {};
    for (var k = 0; k < items.length; k++) itemById[items[k].dataset.sceneId] = items[k];
    this.scenes = [];
    var first = 0;
    for (var i = 0; i < segments.length; i++) {
      var segment = segments[i];
      var duration = Math.max(1, parseInt(segment.dataset.durationFrames, 10) || 1);
      var scene = {
        id: segment.dataset.segmentSceneId,
        order: segment.dataset.order,
        name: segment.dataset.name,
        duration: duration,
        first: first,
        index: i,
        url: segment.dataset.frameUrl,
        segment: segment,
        iframe: null,
        // The scene list item rendered with the player, highlighted while current.
        item: itemById[segment.dataset.segmentSceneId] || null,
        // Its poster frame (data-poster-frame, scenes/poster.py): what it shows
        // while the player is cued to it, paused at its start.
        poster: Math.min(duration - 1, Math.max(0, parseInt(segment.dataset.posterFrame, 10) || 0)),
        requested: null, // the ms of the last seek posted to it
        waiting: 0, // timer for an unanswered seek
        silent: false, // true once a seek went unanswered for SEEK_TIMEOUT_MS
      };
      // Widths follow durations (set here, not inline, so a strict page CSP
      // without 'unsafe-inline' styles still works).
      segment.style.flexGrow = String(duration);
      segment.dataset.firstFrame = String(first);
      this.scenes.push(scene);
      first += duration;
    }
    this.total = first;
    this.posterScene = null; // the scene whose poster is on screen (see cue)

    this.stage.style.aspectRatio = this.width + " / " + this.height;
    this.scrubber.max = String(Math.max(0, this.total - 1));

    this.onClick = function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      if (target.closest("[data-player-play]")) {
        self.toggle();
        return;
      }
      if (target.closest("[data-player-loop]")) {
        self.setLoop(!self.loop);
        return;
      }
      if (target.closest("[data-player-fullscreen]")) {
        self.toggleFullscreen();
        return;
      }
      var segment = target.closest("[data-segment-scene-id]");
      if (segment) {
        var clicked = self.sceneById(segment.dataset.segmentSceneId);
        if (!self.playing && clicked) {
          self.cue(clicked);
          return;
        }
        var frame = parseInt(segment.dataset.firstFrame, 10) || 0;
        self.seek(frame);
        if (self.playing) self.restartClock();
      }
    };
    this.onInput = function (event) {
      if (event.target !== self.scrubber) return;
      // Scrubbing takes over from playback.
      self.pause();
      self.seek(parseInt(self.scrubber.value, 10) || 0);
    };
    root.addEventListener("click", this.onClick);
    root.addEventListener("input", this.onInput);

    // The iframes render at the project's size and are scaled to the stage,
    // so what you see is the video's layout, only smaller.
    this.resize = function () {
      for (var k = 0; k < self.scenes.length; k++) {
        if (self.scenes[k].iframe) self.fit(self.scenes[k].iframe);
      }
      if (self.frame >= 0) self.placePlayhead();
      // Hidden (the phone's chat tab), a frame's document drops its paused
      // animations; shown again, each frame is sought once more so the
      // picture is the current frame, not the scene's start.
      var shown = self.stage.clientWidth > 0;
      if (shown && !self.shown && self.frame >= 0) self.seekAgain();
      self.shown = shown;
    };
    this.shown = this.stage.clientWidth > 0;
    this.observer = typeof ResizeObserver === "function" ? new ResizeObserver(this.resize) : null;
    if (this.observer) this.observer.observe(this.stage);
    this.resize();
    this.setLoop(this.loop);

    this.startAt(start);
    if (start.playing && this.frame < this.total - 1) this.play();
    else this.showState();
  }

  // Where a new player opens. On a fresh page it is cued to the first scene
  // (at its start, its poster on screen, as a <video>'s poster). A player
  // that was cued stays cued: to a scene that was just added, so you see what
  // you asked for, else to the same scene (its poster may have moved with an
  // edit). One paused at the very end, where playback ran out, is cued to a
  // scene just added too, not left on the faded-out frame before it. One that
  // was playing or put somewhere stays in the same scene, at the same point in
  // it (clamped to its new length), wherever the scene now is. When the scene on screen was deleted, the one now in its place is
  // shown instead (cued, or from its start while playing): an editor's
  // playhead kept at a time that is now past the end, or in another scene,
  // would park on a scene's faded-out last frame, and lose the cue that shows
  // the scenes you add next.
  Player.prototype.startAt = function (start) {
    if (!this.scenes.length) return;
    if (start.frame === null) {
      this.cue(this.scenes[0]);
      return;
    }
    var known = start.sceneIds || [];
    var cued = !!start.posterOf && !start.playing;
    if (cued || (start.atEnd && !start.playing)) {
      var added = null;
      for (var i = 0; i < this.scenes.length; i++) {
        if (known.indexOf(this.scenes[i].id) === -1) added = this.scenes[i];
      }
      if (added) {
        this.cue(added);
        return;
      }
    }
    var scene = this.sceneById(start.sceneId);
    if (scene && cued && start.posterOf === scene.id) this.cue(scene);
    else if (scene) this.seek(scene.first + Math.min(Math.max(0, start.into || 0), scene.duration - 1));
    else if (start.sceneId === null) this.seek(Math.min(Math.max(0, start.frame), this.total - 1));
    else {
      var instead = this.inPlaceOf(known, start.sceneId);
      if (start.playing) this.seek(instead.first);
      else this.cue(instead);
    }
  };

  // The scene that took a deleted one's place: the first one after it that is
  // still here, else the last one before it (it was the last scene).
  Player.prototype.inPlaceOf = function (known, id) {
    var at = known.indexOf(id);
    var scene = null;
    for (var i = at + 1; at >= 0 && i < known.length && !scene; i++) scene = this.sceneById(known[i]);
    for (var j = at - 1; j >= 0 && !scene; j--) scene = this.sceneById(known[j]);
    return scene || this.scenes[Math.min(Math.max(0, at), this.scenes.length - 1)];
  };

  Player.prototype.sceneById = function (id) {
    for (var i = 0; i < this.scenes.length; i++) {
      if (this.scenes[i].id === id) return this.scenes[i];
    }
    return null;
  };

  // Paused at a scene's start, show its poster frame: frame 0 of a scene is
  // its background alone, everything enters after it. Play starts from the
  // scene's start; any seek, step or scrub shows that exact frame again.
  Player.prototype.cue = function (scene) {
    this.seek(scene.first);
    this.posterScene = scene;
    this.root.dataset.poster = "cued"; // "shown" once the scene has answered
    this.post(scene, this.msShown(scene));
  };

  // The ms a scene is held at now: its poster while cued, else the playhead's.
  Player.prototype.msShown = function (scene) {
    if (scene === this.posterScene) return (scene.poster * 1000) / this.fps;
    return scene === this.current ? ((this.frame - scene.first) * 1000) / this.fps : 0;
  };

  Player.prototype.fit = function (iframe) {
    iframe.style.width = this.width + "px";
    iframe.style.height = this.height + "px";
    iframe.style.transform = "scale(" + this.stage.clientWidth / this.width + ")";
  };

  // The current scene and its neighbours get an iframe (so playback enters
  // the next scene already loaded, and the seek is exact); the others have
  // none, and one that leaves the neighbourhood is removed. A project of
  // hundreds of scenes loads three documents, not hundreds.
  Player.prototype.showAround = function (current) {
    for (var i = 0; i < this.scenes.length; i++) {
      var scene = this.scenes[i];
      var near = Math.abs(scene.index - current.index) <= 1;
      if (near && !scene.iframe) {
        var iframe = document.createElement("iframe");
        iframe.className = "player-frame";
        iframe.setAttribute("sandbox", "allow-scripts");
        iframe.setAttribute("loading", "eager");
        iframe.setAttribute("referrerpolicy", "no-referrer");
        iframe.setAttribute("tabindex", "-1");
        iframe.setAttribute("aria-hidden", "true");
        iframe.width = String(this.width);
        iframe.height = String(this.height);
        iframe.title = "Scene " + scene.order + ": " + scene.name;
        iframe.dataset.frameSceneId = scene.id;
        iframe.src = scene.url;
        this.fit(iframe);
        this.stage.appendChild(iframe);
        scene.iframe = iframe;
        // Seeks posted before it loads are lost; its "ready" asks again.
        scene.requested = null;
      } else if (!near && scene.iframe) {
        scene.iframe.remove();
        scene.iframe = null;
        scene.requested = null;
        if (scene.waiting) clearTimeout(scene.waiting);
        scene.waiting = 0;
      }
    }
  };

  Player.prototype.sceneAt = function (frame) {
    for (var i = this.scenes.length - 1; i >= 0; i--) {
      if (frame >= this.scenes[i].first) return this.scenes[i];
    }
    return this.scenes[0] || null;
  };

  Player.prototype.post = function (scene, ms) {
    scene.requested = ms;
    if (!scene.iframe || !scene.iframe.contentWindow) return;
    // The frame's origin is opaque ("null"), so "*" is the only target that
    // reaches it; the message carries nothing secret.
    scene.iframe.contentWindow.postMessage({ type: "seek", ms: ms }, "*");
    // Timed from the oldest unanswered seek: playback posts one every frame,
    // and restarting the timer each time would never let it run out.
    if (!scene.waiting) {
      var self = this;
      scene.waiting = setTimeout(function () {
        scene.waiting = 0;
        self.unanswered(scene);
      }, SEEK_TIMEOUT_MS);
    }
  };

  Player.prototype.unanswered = function (scene) {
    if (!this.root.isConnected) return;
    if (document.hidden) {
      // A background tab's timers and frames are throttled; judge when it is back.
      this.post(scene, scene.requested || 0);
      return;
    }
    scene.silent = true;
    this.showProblems();
  };

  Player.prototype.answered = function (scene) {
    if (scene.waiting) clearTimeout(scene.waiting);
    scene.waiting = 0;
    if (scene.silent) {
      scene.silent = false;
      this.showProblems();
    }
  };

  // One line under the stage names every scene that did not respond.
  Player.prototype.showProblems = function () {
    var lines = [];
    for (var i = 0; i < this.scenes.length; i++) {
      var scene = this.scenes[i];
      scene.segment.classList.toggle("is-broken", scene.silent);
      if (scene.silent) {
        lines.push("Scene " + scene.order + " (" + scene.name + ") did not respond and cannot be shown.");
      }
    }
    if (!lines.length) {
      if (this.problem) this.problem.remove();
      this.problem = null;
      return;
    }
    if (!this.problem) {
      this.problem = document.createElement("p");
      this.problem.className = "error player-problem";
      this.problem.setAttribute("role", "alert");
      this.problem.setAttribute("data-player-problem", "");
      this.stage.insertAdjacentElement("afterend", this.problem);
    }
    this.problem.textContent =
      lines.join(" ") + " Ask for " + (lines.length > 1 ? "them" : "it") + " again, or delete " +
      (lines.length > 1 ? "them." : "it.");
  };

  Player.prototype.seek = function (frame) {
    if (!this.total) return;
    frame = Math.min(Math.max(0, Math.round(frame)), this.total - 1);
    this.posterScene = null;
    delete this.root.dataset.poster;
    var scene = this.sceneAt(frame);
    var ms = ((frame - scene.first) * 1000) / this.fps;
    this.frame = frame;
    if (scene !== this.current) this.showAround(scene);
    // Seek first, then show: the new scene is already at the right time.
    this.post(scene, ms);
    if (scene !== this.current) {
      var previous = this.current;
      this.current = scene;
      for (var i = 0; i < this.scenes.length; i++) {
        var other = this.scenes[i];
        var isCurrent = other === scene;
        if (other.iframe) {
          other.iframe.classList.toggle("is-current", isCurrent);
          other.iframe.setAttribute("aria-hidden", isCurrent ? "false" : "true");
        }
        other.segment.classList.toggle("is-current", isCurrent);
        if (other.item) other.item.classList.toggle("is-current", isCurrent);
        if (isCurrent) other.segment.setAttribute("aria-current", "true");
        else other.segment.removeAttribute("aria-current");
      }
      // A scene we leave waits at its start, where playback enters it.
      if (previous) this.post(previous, 0);
      this.sceneLabel.textContent = "Scene " + scene.order + " · " + scene.name;
    }
    this.root.dataset.frame = String(frame);
    this.scrubber.value = String(frame);
    this.timeDisplay.textContent =
      "Frame " + frame + " / " + this.total + " · " + formatTime(frame / this.fps);
    this.scrubber.setAttribute("aria-valuetext", this.timeDisplay.textContent);
    var progress = (frame / Math.max(1, this.total - 1)) * 100 + "%";
    this.scrubber.style.setProperty("--progress", progress);
    this.placePlayhead();
  };

  // Segments have a minimum width (readable labels), so widths are not
  // proportional to time across the whole track: place the playhead inside
  // the current segment instead, and keep that segment in view.
  Player.prototype.placePlayhead = function () {
    var scene = this.current;
    if (!scene) return;
    var segment = scene.segment;
    var into = (this.frame - scene.first) / scene.duration;
    this.playhead.style.left = segment.offsetLeft + into * segment.offsetWidth + "px";
    var timeline = this.timeline;
    if (!timeline || timeline.scrollWidth <= timeline.clientWidth) return;
    var left = segment.offsetLeft;
    var right = left + segment.offsetWidth;
    if (left < timeline.scrollLeft || right > timeline.scrollLeft + timeline.clientWidth) {
      timeline.scrollLeft = Math.max(0, left - (timeline.clientWidth - segment.offsetWidth) / 2);
    }
  };

  Player.prototype.seekAgain = function () {
    for (var i = 0; i < this.scenes.length; i++) {
      var scene = this.scenes[i];
      if (!scene.iframe) continue;
      this.post(scene, this.msShown(scene));
    }
  };

  Player.prototype.setLoop = function (loop) {
    this.loop = loop;
    if (this.loopButton) this.loopButton.setAttribute("aria-pressed", loop ? "true" : "false");
    this.root.classList.toggle("is-looping", loop);
  };

  // The stage goes fullscreen; the iframes follow it (the ResizeObserver).
  Player.prototype.toggleFullscreen = function () {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(function () {});
    } else if (this.stage.requestFullscreen) {
      this.stage.requestFullscreen().catch(function () {});
    }
  };

  // A step pauses, as a scrub does; a jump keeps playing from the new place.
  Player.prototype.step = function (frames) {
    this.pause();
    this.seek(this.frame + frames);
  };

  Player.prototype.jump = function (frame) {
    this.seek(frame);
    if (this.playing) {
      if (this.frame >= this.total - 1 && !this.loop) this.pause();
      else this.restartClock();
    }
  };

  Player.prototype.showState = function () {
    this.buttonLabel.textContent = this.playing ? "Pause" : "Play";
    this.button.setAttribute("aria-pressed", this.playing ? "true" : "false");
    this.root.classList.toggle("is-playing", this.playing);
  };

  Player.prototype.restartClock = function () {
    this.clockStart = performance.now();
    this.clockFrame = this.frame;
  };

  Player.prototype.play = function () {
    if (this.playing || !this.total) return;
    // Play at the end starts again from the beginning.
    if (this.frame >= this.total - 1) this.seek(0);
    else if (this.posterScene) this.seek(this.frame); // from the scene's start, not its poster
    this.playing = true;
    this.restartClock();
    this.showState();
    var self = this;
    var tick = function (now) {
      self.rafId = 0;
      if (!self.playing) return;
      if (!self.root.isConnected) {
        // Re-rendered away; the next Player carries on from here.
        return;
      }
      // A frame's timestamp can precede the click that started playback.
      var elapsed = Math.max(0, now - self.clockStart);
      var frame = self.clockFrame + Math.floor((elapsed * self.fps) / 1000);
      if (self.loop && frame >= self.total) {
        // Past the last frame: start again at 0, on the same frame cadence.
        self.clockFrame -= self.total;
        frame -= self.total;
        if (frame >= self.total) {
          self.clockFrame = 0; // a long stall: just start over
          self.clockStart = now;
          frame = 0;
        }
      }
      if (!self.loop && frame >= self.total - 1) {
        self.seek(self.total - 1);
        self.pause();
        return;
      }
      if (frame !== self.frame) self.seek(frame);
      self.rafId = requestAnimationFrame(tick);
    };
    this.rafId = requestAnimationFrame(tick);
  };

  Player.prototype.pause = function () {
    this.playing = false;
    if (this.rafId) cancelAnimationFrame(this.rafId);
    this.rafId = 0;
    this.showState();
  };

  Player.prototype.toggle = function () {
    if (this.playing) this.pause();
    else this.play();
  };

  Player.prototype.destroy = function () {
    this.pause();
    for (var i = 0; i < this.scenes.length; i++) {
      if (this.scenes[i].waiting) clearTimeout(this.scenes[i].waiting);
      this.scenes[i].waiting = 0;
    }
    if (this.observer) this.observer.disconnect();
    this.root.removeEventListener("click", this.onClick);
    this.root.removeEventListener("input", this.onInput);
  };

  // One listener for the page's lifetime: messages from the scene frames.
  window.addEventListener("message", function (event) {
    if (!player) return;
    var data = event.data;
    if (!data || typeof data.type !== "string") return;
    var scene = null;
    for (var i = 0; i < player.scenes.length; i++) {
      var iframe = player.scenes[i].iframe;
      if (iframe && iframe.contentWindow === event.source) scene = player.scenes[i];
    }
    if (!scene) return;
    if (data.type === "ready" || data.type === "seeked") player.answered(scene);
    if (data.type === "ready") {
      // Seeks posted before its script ran were lost; send the one that counts.
      player.post(scene, scene === player.current ? scene.requested || 0 : 0);
    } else if (data.type === "seeked" && scene === player.current && data.ms === scene.requested) {
      // The frame on screen, for people and tests that wait for a picture.
      player.root.dataset.renderedFrame = String(player.frame);
      // Cued: the picture is the scene's poster frame.
      if (scene === player.posterScene) player.root.dataset.poster = "shown";
    }
  });

  function init() {
    var root = document.querySelector("[data-player]");
    if (player && player.root === root) return;
    if (player) {
      carried = {
        frame: player.frame,
        playing: player.playing,
        loop: player.loop,
        sceneIds: player.scenes.map(function (scene) {
          return scene.id;
        }),
        posterOf: player.posterScene ? player.posterScene.id : null,
        sceneId: player.current ? player.current.id : null,
        into: player.current ? player.frame - player.current.first : 0,
        atEnd: player.total > 0 && player.frame >= player.total - 1,
      };
      player.destroy();
      player = null;
    }
    // No scenes left (the empty state has no player): the next scene opens
    // as on a fresh page, cued to the first scene; only the loop is kept.
    if (!root) carried = Object.assign({}, FRESH, { loop: carried.loop });
    if (root) player = new Player(root, carried);
  }

  // Keys for the player, page-wide, unless you are typing: the composer and
  // other fields keep their keys, and buttons keep Space and Enter.
  var KEYS = ["ArrowLeft", "ArrowRight", "Home", "End", " ", "f", "F", "l", "L"];
  document.addEventListener("keydown", function (event) {
    if (!player || !player.root.isConnected || !player.total) return;
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (KEYS.indexOf(event.key) === -1) return;
    var target = event.target instanceof Element ? event.target : null;
    if (target && target !== player.scrubber) {
      if (target.closest("textarea, select, [contenteditable], input")) return;
      if (event.key === " " && target.closest("button, a, summary, [role=tab]")) return;
    }
    // Not while the preview is out of sight (the phone's chat tab).
    if (!player.root.getClientRects().length) return;
    var second = player.fps;
    switch (event.key) {
      case " ":
        player.toggle();
        break;
      case "ArrowLeft":
        player.step(event.shiftKey ? -second : -1);
        break;
      case "ArrowRight":
        player.step(event.shiftKey ? second : 1);
        break;
      case "Home":
        player.jump(0);
        break;
      case "End":
        player.jump(player.total - 1);
        break;
      case "f":
      case "F":
        player.toggleFullscreen();
        break;
      default:
        player.setLoop(!player.loop);
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSwap", init);
  document.addEventListener("htmx:load", init);
  if (document.readyState !== "loading") init();
})();
