"""The pages a person sees: login, project list, the project's chat page."""

from messages_app.models import Message
from projects.models import Project
from tests.helpers import PASSWORD, send


def test_anonymous_visitors_are_sent_to_log_in(client, project):
    for url in ["/", f"/{project.id}/", f"/{project.id}/messages/", f"/{project.id}/scenes/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_logging_in_leads_to_the_project_list(client, owner, project):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert "Launch video" in response.content.decode()


def test_a_wrong_password_is_refused(client, owner):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_list_shows_only_my_projects(owner_client, outsider):
    Project.objects.create(owner=outsider, title="Mallory's secret")
    Project.objects.create(owner=outsider.__class__.objects.get(username="alice"), title="Mine")

    html = owner_client.get("/").content.decode()

    assert "Mine" in html
    assert "Mallory&#x27;s secret" not in html and "Mallory's secret" not in html


def test_creating_a_project_opens_it(owner_client, owner):
    response = owner_client.post("/", {"title": "Product teaser"})

    project = Project.objects.get(title="Product teaser")
    assert project.owner == owner
    assert (project.fps, project.width, project.height) == (30, 1920, 1080)
    assert response["Location"] == f"/{project.id}/"


def test_a_project_needs_a_title(owner_client):
    response = owner_client.post("/", {"title": "  "})

    assert response.status_code == 422
    assert "Give the project a title." in response.content.decode()
    assert not Project.objects.exists()


def test_the_chat_page_has_what_the_chat_needs(owner_client, project):
    html = owner_client.get(f"/{project.id}/").content.decode()

    assert '<label for="id_content">Message</label>' in html
    assert 'name="content"' in html
    assert ">Send</button>" in html
    assert f'sse-connect="/{project.id}/events/?lastEventId=project-{project.id}%3A0"' in html
    # htmx and its SSE extension come from django-htmx, not a CDN.
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/django_htmx/ext/hx-sse-2.min.js" in html
    assert "https://" not in html


def test_reloading_shows_each_message_once_in_order(owner_client, project):
    send(owner_client, project, "first")
    send(owner_client, project, "second")

    html = owner_client.get(f"/{project.id}/").content.decode()

    ids = [m.id for m in Message.objects.order_by("seq")]
    positions = [html.index(f'data-message-id="{i}"') for i in ids]
    assert positions == sorted(positions)
    assert all(html.count(f'data-message-id="{i}"') == 1 for i in ids)


def test_a_pending_reply_shows_dots_and_asks_to_be_answered(owner_client, project):
    send(owner_client, project, "add a title scene that says Hi")
    pending = Message.objects.get(role="assistant")

    html = owner_client.get(f"/{project.id}/messages/").content.decode()

    assert 'data-status="pending"' in html
    assert 'role="status"' in html
    assert f'hx-post="/{project.id}/messages/{pending.id}/task/"' in html
    # Asked again every half lease (120 s by default), so a dead runner's reply is taken over.
    assert 'hx-trigger="load, every 60s"' in html


def test_message_content_is_escaped(owner_client, project):
    send(owner_client, project, '<script>alert(1)</script>"><img src=x onerror=alert(2)>')

    html = owner_client.get(f"/{project.id}/messages/").content.decode()

    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outsiders_get_404_everywhere(outsider_client, project):
    for url in [
        f"/{project.id}/",
        f"/{project.id}/messages/",
        f"/{project.id}/scenes/",
        f"/{project.id}/events/",
    ]:
        assert outsider_client.get(url).status_code == 404, url


def test_an_unknown_project_is_404(owner_client):
    assert owner_client.get("/424242/").status_code == 404
