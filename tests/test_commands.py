"""manage.py commands run the same flow as the web page."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from messages_app.models import Message
from projects.models import Project

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_project_prints_the_new_id(owner):
    output = run("create_project", "--owner", "alice", "--title", "Teaser")

    project = Project.objects.get(title="Teaser")
    assert output.strip() == str(project.id)
    assert project.owner == owner


def test_create_project_refuses_an_unknown_owner(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("create_project", "--owner", "nobody", "--title", "Teaser")
    assert not Project.objects.exists()


def test_chat_prints_the_reply_and_changes_the_scene(project):
    output = run("chat", str(project.id), "add a title scene that says Launch Day")

    assert (
        output.strip() == "Added scene 1, a title card reading \u201cLaunch Day\u201d, 5 seconds."
    )
    assert project.scenes.get().props["title"] == "Launch Day"
    assert list(Message.objects.values_list("role", "status")) == [
        ("user", "success"),
        ("assistant", "success"),
    ]


def test_chat_json_describes_the_message_and_scenes(project):
    output = run("chat", str(project.id), "add a title scene that says Hi", "--json")

    data = json.loads(output)
    reply = Message.objects.get(role="assistant")
    assert data["message"] == {
        "id": reply.id,
        "status": "success",
        "content": reply.content,
        "tool": "add_scene",
    }
    scene = project.scenes.get()
    assert data["scenes"] == [
        {
            "id": scene.id,
            "order": 1,
            "name": scene.name,
            "duration_frames": 150,
            "code": scene.code,
            "props": scene.props,
        }
    ]


@override_settings(CHATVIDEO_BRAIN="tests.brains.BrokenBrain")
def test_chat_fails_when_the_message_ends_in_error(project):
    with pytest.raises(CommandError, match="the model server is unreachable"):
        run("chat", str(project.id), "add a title scene that says Hi")
    assert Message.objects.get(role="assistant").status == "error"


def test_chat_refuses_blank_text_and_writes_nothing(project):
    with pytest.raises(CommandError, match="Type a message first."):
        run("chat", str(project.id), "   ")
    assert not Message.objects.exists()


def test_chat_refuses_an_unknown_project(db):
    with pytest.raises(CommandError, match="No project with id 999"):
        run("chat", "999", "hello")


def test_export_project_prints_scenes_in_order_and_messages_oldest_first(project):
    run("chat", str(project.id), "add a title scene that says One")
    run("chat", str(project.id), "add a title scene that says Two")
    run("chat", str(project.id), "delete scene 1")

    data = json.loads(run("export_project", str(project.id)))

    assert data["project"] == {
        "id": project.id,
        "title": "Launch video",
        "fps": 30,
        "width": 1920,
        "height": 1080,
    }
    assert [(s["order"], s["props"]["title"]) for s in data["scenes"]] == [(1, "Two")]
    assert set(data["scenes"][0]) == {"id", "order", "name", "duration_frames", "code", "props"}
    assert [(m["role"], m["content"]) for m in data["messages"]][::2] == [
        ("user", "add a title scene that says One"),
        ("user", "add a title scene that says Two"),
        ("user", "delete scene 1"),
    ]
    assert set(data["messages"][0]) == {"id", "role", "status", "content", "tool"}


@override_settings(DEBUG=True)
def test_demo_account_is_made_on_a_fresh_local_install(db):
    output = run("ensure_demo_user")

    password = output.split("password: ")[1].split()[0]
    assert User.objects.get().check_password(password)
    assert run("ensure_demo_user") == ""
    assert User.objects.count() == 1


@override_settings(DEBUG=False)
def test_no_demo_account_in_production(db):
    output = run("ensure_demo_user")

    assert "no demo account" in output
    assert not User.objects.exists()


def test_production_settings_require_a_secret_key():
    # Without DEBUG there is no development key to fall back on.
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="0", DJANGO_SETTINGS_MODULE="chatvideo.settings")

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set but DEBUG is off" in result.stderr


def test_production_refuses_debug():
    env = {**os.environ, "CHATVIDEO_PRODUCTION": "1", "DEBUG": "1", "SECRET_KEY": "x" * 50}

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "chatvideo.settings"},
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "DEBUG is on but CHATVIDEO_PRODUCTION=1" in result.stderr
