"""A finished message is rendered once for all of its reader's open tabs (pages/chat.py).

On a chat event every open tab fetches the message it names; at 1,000 tabs
that was 1,000 renders of the same HTML. Each tab still gets the access
check, a changed message is shown as it is now, and the Retry form of a
cached error reply carries a token its reader's POST is accepted with.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.test.signals import template_rendered

from messages_app.models import Message
from tests.helpers import answer

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def renders_of():
    rendered: list[str] = []

    def seen(sender, template: object, **kwargs) -> None:
        rendered.append(getattr(template, "name", ""))

    template_rendered.connect(seen)
    return rendered, lambda: template_rendered.disconnect(seen)


def with_csrf_cookie(client: Client, project) -> Client:
    # A browser tab has the cookie from the project page it opened.
    client.get(f"/{project.id}/")
    assert "csrftoken" in client.cookies
    return client


@pytest.mark.django_db(transaction=True)
def test_an_answered_message_is_rendered_once_for_all_of_its_readers_tabs(
    owner_client, outsider_client, project
):
    reply = answer(owner_client, project, "add a title scene that says Hello")
    assert reply.status == "success"
    tab = with_csrf_cookie(owner_client, project)
    url = f"/{project.id}/messages/{reply.id}/item/"
    rendered, stop = renders_of()
    try:
        pages = [tab.get(url) for _ in range(5)]
    finally:
        stop()

    assert rendered.count("messages_app/_message.html") == 1
    assert {p.status_code for p in pages} == {200}
    assert len({p.content for p in pages}) == 1
    assert 'data-status="success"' in pages[0].content.decode()
    # The access check still runs for every request: the outsider gets nothing cached.
    assert outsider_client.get(url).status_code == 404


@pytest.mark.django_db(transaction=True)
@override_settings(CHATVIDEO_MAX_SCENES=1)
def test_a_cached_error_reply_s_retry_works_and_the_retried_message_shows_as_it_is_now(
    owner, owner_client, project
):
    answer(owner_client, project, "add a title scene that says One")
    reply = answer(owner_client, project, "add a title scene that says Two")
    assert reply.status == "error"
    tab = Client(enforce_csrf_checks=True)
    tab.force_login(owner)
    tab = with_csrf_cookie(tab, project)
    url = f"/{project.id}/messages/{reply.id}/item/"
    first, cached = tab.get(url).content.decode(), tab.get(url).content.decode()
    assert cached == first
    assert "Retry" in cached

    retried = tab.post(
        f"/{project.id}/messages/{reply.id}/retry/",
        {"csrfmiddlewaretoken": TOKEN.search(cached)[1]},
        headers={"HX-Request": "true"},
    )

    assert retried.status_code == 200
    assert Message.objects.get(id=reply.id).status == "pending"
    shown = tab.get(url).content.decode()
    assert 'data-status="pending"' in shown
    assert "Retry" not in shown
