import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from projects.views import owned_project


@login_required
@require_GET
def scene_list(request: HttpRequest, project_id: int) -> HttpResponse:
    project = owned_project(request, project_id)
    return render(
        request, "scenes/_scene_list.html", {"project": project, "scenes": project.scenes.all()}
    )


# The preview player (static/chatvideo/player.js) drives every frame from the
# parent page: it posts {type: "seek", ms} and the scene answers
# {type: "seeked", ms} once its animations sit at that time. Nothing in the
# scene runs on its own clock, so a frame is the same picture every time.
SEEK_SCRIPT = """(function () {
  "use strict";
  var position = 0;
  function seek(ms) {
    position = ms;
    var animations = document.getAnimations ? document.getAnimations() : [];
    for (var i = 0; i < animations.length; i++) {
      animations[i].pause();
      animations[i].currentTime = ms;
    }
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== "seek" || typeof data.ms !== "number" || !isFinite(data.ms)) return;
    var ms = Math.max(0, data.ms);
    seek(ms);
    window.parent.postMessage({ type: "seeked", ms: ms }, "*");
  });
  seek(0);
  window.addEventListener("load", function () {
    seek(position);
    window.parent.postMessage({ type: "ready" }, "*");
  });
})();"""

# The frame's whole policy, sent as a header: its own sandboxed, opaque origin
# that may load nothing at all. Inline script is allowed: the seek script, and
# scenes animated with the Web Animations API.
FRAME_CSP = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)

# A scene's own <meta> policy is dropped when it is served: it was written for
# the scene alone and would block the seek script. The header above is at
# least as strict about the network.
META_CSP = re.compile(
    r"""<meta\b[^>]*\bhttp-equiv\s*=\s*["']?\s*content-security-policy\b[^>]*>""",
    re.IGNORECASE,
)
BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)


def frame_document(code: str) -> str:
    """The scene's code as the preview serves it: with the seek script, without its CSP meta."""
    code = META_CSP.sub("", code)
    script = f"<script>{SEEK_SCRIPT}</script>\n"
    closes = list(BODY_CLOSE.finditer(code))
    if closes:
        at = closes[-1].start()
        return f"{code[:at]}{script}{code[at:]}"
    return f"{code}\n{script}"


@login_required
@require_GET
@never_cache
@xframe_options_sameorigin
def scene_frame(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """One scene as a document for the preview player's sandboxed iframe."""
    project = owned_project(request, project_id)
    scene = get_object_or_404(project.scenes, id=scene_id)
    response = HttpResponse(frame_document(scene.code), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = FRAME_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
