"""The chat holds a window of the newest messages, so a long chat opens as fast as a short one.

Also: the partials a page fetches when an event names one message (that
message alone, or the ones after the page's last), and the scene cap.
"""

import re
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from messages_app.chat import CHAT_WINDOW
from messages_app.models import Message
from projects.models import Project
from scenes.errors import ToolError
from scenes.models import Scene
from scenes.render import render_scene_code, scene_props
from scenes.tools import add_scene
from tests.helpers import answer, send

ARTICLE = re.compile(r'<article id="message-(\d+)"')


def add_messages(project: Project, count: int, start: int = 1) -> None:
    """`count` answered exchanges' worth of messages, written in one go."""
    Message.objects.bulk_create(
        Message(
            project=project,
            seq=seq,
            role="user" if seq % 2 else "assistant",
            content=f"Message number {seq % 100:02d} of the chat",
        )
        for seq in range(start, start + count)
    )


def shown_seqs(html: str) -> list[int]:
    ids = [int(i) for i in ARTICLE.findall(html)]
    by_id = dict(Message.objects.filter(id__in=ids).values_list("id", "seq"))
    return [by_id[i] for i in ids]


def earlier_url(html: str) -> str | None:
    found = re.search(r'data-chat-earlier\s+hx-get="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_page_shows_the_newest_window_and_loads_earlier_ones_in_order(owner_client, project):
    add_messages(project, 2 * CHAT_WINDOW + 20)

    page = owner_client.get(f"/{project.id}/").content.decode()
    assert shown_seqs(page) == list(range(CHAT_WINDOW + 21, 2 * CHAT_WINDOW + 21))
    assert earlier_url(page) == f"/{project.id}/messages/?before={CHAT_WINDOW + 21}"
    assert 'hx-trigger="intersect once, click"' in page
    assert ">Earlier messages</button>" in page

    earlier = owner_client.get(earlier_url(page)).content.decode()
    assert shown_seqs(earlier) == list(range(21, CHAT_WINDOW + 21))
    # The earlier window starts with its own loader, in the old one's place.
    assert earlier.lstrip().startswith("<button")
    assert earlier_url(earlier) == f"/{project.id}/messages/?before=21"

    first = owner_client.get(earlier_url(earlier)).content.decode()
    assert shown_seqs(first) == list(range(1, 21))
    assert earlier_url(first) is None
    assert "Describe the video you want" not in first


def render_page(client, project: Project) -> tuple[str, int, float]:
    """The project page's HTML, how many queries it took and how long (ms)."""
    client.get(f"/{project.id}/")  # warm up templates and the session
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(f"/{project.id}/")
        elapsed_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200
    return response.content.decode(), len(queries), elapsed_ms


def test_a_page_with_ten_thousand_messages_is_the_size_and_cost_of_one_with_fifty(
    owner_client, owner
):
    short = Project.objects.create(owner=owner, title="Short chat")
    long = Project.objects.create(owner=owner, title="Long chat")
    add_messages(short, CHAT_WINDOW)
    add_messages(long, 10_000)

    short_html, short_queries, short_ms = render_page(owner_client, short)
    long_html, long_queries, long_ms = render_page(owner_client, long)

    assert len(ARTICLE.findall(long_html)) == CHAT_WINDOW
    assert abs(len(long_html) - len(short_html)) <= 0.1 * len(short_html)
    assert long_queries == short_queries
    # Measured, not asserted (the machine is shared); see the README.
    print(
        f"\n50 messages: {len(short_html)} bytes, {short_queries} queries, {short_ms:.1f} ms;"
        f" 10,000 messages: {len(long_html)} bytes, {long_queries} queries, {long_ms:.1f} ms"
    )


def test_after_gives_the_messages_a_page_does_not_have_yet(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    user, reply = Message.objects.filter(project=project).order_by("seq")

    both = owner_client.get(f"/{project.id}/messages/?after=0").content.decode()
    assert [int(i) for i in ARTICLE.findall(both)] == [user.id, reply.id]
    # Only messages: no hint for an empty chat, no loader.
    assert "Describe the video" not in both and "Earlier messages" not in both

    newer = owner_client.get(f"/{project.id}/messages/?after={user.seq}").content.decode()
    assert [int(i) for i in ARTICLE.findall(newer)] == [reply.id]
    assert owner_client.get(f"/{project.id}/messages/?after={reply.seq}").content.strip() == b""


def test_a_page_that_missed_more_than_a_window_gets_a_fresh_window(owner_client, project):
    add_messages(project, CHAT_WINDOW + 5)

    response = owner_client.get(f"/{project.id}/messages/?after=2")

    assert response["HX-Reswap"] == "innerHTML"
    assert shown_seqs(response.content.decode()) == list(range(6, CHAT_WINDOW + 6))


@pytest.mark.parametrize(
    "query", ["after=-1", "after=x", "before=1.5", "before=", "after=1e3", "after=%C2%B2"]
)
def test_a_bad_position_is_refused_with_a_reason(owner_client, project, query):
    response = owner_client.get(f"/{project.id}/messages/?{query}")

    assert response.status_code == 400
    assert "must be a message position (a whole number)" in response.content.decode()


def test_one_message_is_served_alone_and_only_to_its_owner(owner_client, outsider_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    reply = Message.objects.get(project=project, role="assistant")
    url = f"/{project.id}/messages/{reply.id}/item/"

    html = owner_client.get(url).content.decode()

    assert [int(i) for i in ARTICLE.findall(html)] == [reply.id]
    assert 'data-status="pending"' in html
    assert outsider_client.get(url).status_code == 404
    other = Project.objects.create(owner=project.owner, title="Other")
    assert owner_client.get(f"/{other.id}/messages/{reply.id}/item/").status_code == 404


def add_scenes(project: Project, count: int) -> None:
    props = scene_props(title="Scene")
    code = render_scene_code(props, 30, project.fps)
    Scene.objects.bulk_create(
        Scene(
            project=project, order=n, name=f"Scene {n}", duration_frames=30, code=code, props=props
        )
        for n in range(1, count + 1)
    )


def test_a_project_at_the_scene_cap_refuses_another_scene_and_says_why(project):
    add_scenes(project, 500)

    with pytest.raises(ToolError) as refused:
        add_scene(project, props={"title": "One more"})

    assert str(refused.value) == (
        "This project has 500 scenes, the most it can hold; delete some first."
    )
    assert project.scenes.count() == 500


@override_settings(CHATVIDEO_MAX_SCENES=2)
def test_the_scene_cap_is_a_setting(project):
    add_scene(project, props={"title": "One"})
    add_scene(project, props={"title": "Two"})

    with pytest.raises(ToolError, match="This project has 2 scenes, the most it can hold"):
        add_scene(project, props={"title": "Three"})
    assert project.scenes.count() == 2


@pytest.mark.django_db(transaction=True)
@override_settings(CHATVIDEO_MAX_SCENES=1)
def test_asking_for_a_scene_past_the_cap_gets_a_reply_that_says_why(owner_client, project):
    answer(owner_client, project, "add a title scene that says One")

    reply = answer(owner_client, project, "add a title scene that says Two")

    assert reply.status == "error"
    assert reply.error == "This project has 1 scene, the most it can hold; delete some first."
    assert project.scenes.count() == 1
    html = owner_client.get(f"/{project.id}/messages/{reply.id}/item/").content.decode()
    assert "the most it can hold; delete some first." in html
