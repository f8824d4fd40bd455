"""`make run`'s demo login opens the admin the README points to, only under DEBUG."""

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings


def run() -> str:
    out = StringIO()
    call_command("ensure_demo_user", stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True, PRODUCTION=False)
def test_demo_login_opens_the_admin(client, db):
    password = run().split("password: ")[1].split()[0]

    assert client.login(username="demo", password=password)
    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Site administration" in response.content.decode()


@override_settings(DEBUG=True, PRODUCTION=False)
def test_an_older_demo_login_is_given_the_admin(db):
    User.objects.create_user("demo", password="pw")
    other = User.objects.create_user("alice", password="pw")

    assert "can now open the admin" in run()

    demo = User.objects.get(username="demo")
    assert demo.is_staff and demo.is_superuser
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser
    assert run() == ""  # once upgraded, nothing more to say


@override_settings(DEBUG=True, PRODUCTION=True)
def test_production_never_makes_or_upgrades_a_demo_admin(db):
    User.objects.create_user("demo", password="pw")

    assert "no demo account" in run()

    demo = User.objects.get(username="demo")
    assert not demo.is_staff and not demo.is_superuser


@override_settings(DEBUG=False)
def test_without_debug_an_existing_demo_login_stays_a_plain_user(db):
    User.objects.create_user("demo", password="pw")

    run()

    assert not User.objects.get(username="demo").is_staff
