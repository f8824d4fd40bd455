"""A page whose session has ended goes to the login page, not into it.

login_required answers a request without a session with a 302 to the login
page. htmx's XHR (and the page's own fetch calls that say HX-Request) follow
that redirect and get the login page's HTML, which htmx would swap into the
composer or a list. So an htmx request that is sent to the login page is
answered instead with an HX-Redirect header, which makes htmx load the login
page as a whole page, with next= the page the user is on (its HX-Current-URL,
only when that is on this site), so logging in again brings them back to it.

The answer is a 403 with a short plain-text sentence rather than htmx's
usual 200: htmx 2 follows HX-Redirect whatever the status, and a caller that
reads the response itself (scene_controls.js's fetch) sees a refusal and
says this sentence, instead of treating an empty body as success.
static/chatvideo/app.js keeps the composer's text when the page leaves.
"""

from urllib.parse import urlsplit

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.decorators import sync_and_async_middleware
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_ENDED = "You are logged out. Log in again to go on."


def is_login_redirect(response: HttpResponse) -> bool:
    """Whether the response sends the browser to the login page."""
    if response.status_code != 302 or "Location" not in response:
        return False
    login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
    return urlsplit(response["Location"]).path == login_path


def page_path(request: HttpRequest) -> str | None:
    """The path (and query) of the page that sent the htmx request, if it is on this site."""
    current = request.headers.get("HX-Current-URL", "")
    allowed = {request.get_host()}
    secure = request.is_secure()
    if not url_has_allowed_host_and_scheme(current, allowed, require_https=secure):
        return None
    parts = urlsplit(current)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # Only a local path, never a scheme-relative one (//elsewhere/).
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    return path


def login_url_for(request: HttpRequest) -> str:
    """The login page, with next= the page the user is on when that is known and safe."""
    login = resolve_url(settings.LOGIN_URL)
    path = page_path(request)
    if path is None:
        return login
    query = QueryDict(mutable=True)
    query["next"] = path
    return f"{login}?{query.urlencode(safe='/')}"


def session_ended(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The response itself, or, for an htmx request sent to the login page, an HX-Redirect there."""
    if not getattr(request, "htmx", False) or not is_login_redirect(response):
        return response
    ended = HttpResponse(SESSION_ENDED, status=403, content_type="text/plain; charset=utf-8")
    ended["HX-Redirect"] = login_url_for(request)
    return ended


@sync_and_async_middleware
def htmx_login_redirect(get_response):
    """Middleware (after django-htmx's): see the module docstring.

    Async-capable, so async views (the task view) stay on the event loop.
    """
    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponse:
            return session_ended(request, await get_response(request))

    else:

        def middleware(request: HttpRequest) -> HttpResponse:
            return session_ended(request, get_response(request))

    return middleware
