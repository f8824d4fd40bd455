"""Login attempts are throttled per account and per address (issue 10: 40 guesses, then in).

Through the whole stack (middleware, login view, django-axes), then once
more against a real daphne over HTTP, where the middleware runs async.
"""

from datetime import timedelta

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.helpers import PASSWORD
from tests.live import TIMEOUT, LiveServerTestCase, login

LOCKED = "Too many failed logins. Try again in 15 minutes."


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong guess")
        assert response.status_code in (200, 429)


@pytest.fixture
def users(db) -> list[User]:
    names = ["alice", "bob", "carol", "dave", "erin"]
    return [User.objects.create_user(name, password=PASSWORD) for name in names]


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, users):
    for attempt in range(1, 5):
        response = log_in(client, "alice", "wrong guess")
        assert response.status_code == 200, attempt
        assert "Please enter a correct username and password" in response.content.decode()

    fifth = log_in(client, "alice", "wrong guess")
    right = log_in(client, "alice")

    for response in (fifth, right):
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
        assert response["Retry-After"] == "900"
        assert "_auth_user_id" not in client.session
    # The page still offers the form, with the name filled in.
    assert 'name="username"' in right.content.decode() and 'value="alice"' in right.content.decode()


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(users):
    # Anyone may know a user name: a lock from every address would let them
    # keep alice out for good, five guesses every quarter of an hour.
    attacker = Client(REMOTE_ADDR="192.0.2.1")
    fail(attacker, "alice", 6)
    assert log_in(attacker, "alice").status_code == 429

    response = log_in(Client(REMOTE_ADDR="198.51.100.7"), "alice")

    assert response.status_code == 302
    assert LOCKED not in response.content.decode()


def test_an_ipv6_subscriber_gets_one_limit_for_their_whole_slash_64(users):
    # Each of these is a fresh address, but all of one /64 (one subscriber).
    for host in range(1, 6):
        fail(Client(REMOTE_ADDR=f"2001:db8:7:9::{host}"), "alice", 1)

    locked = log_in(Client(REMOTE_ADDR="2001:db8:7:9::99"), "alice")

    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    # Another subscriber is not locked out.
    assert log_in(Client(REMOTE_ADDR="2001:db8:7:a::1"), "alice").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, users):
    fail(client, "alice", 5)
    assert log_in(client, "alice").status_code == 429

    # Age every recorded failure past the 15 minutes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    assert log_in(client, "alice").status_code == 302


def test_the_failed_attempts_are_recorded(client, users):
    fail(client, "alice", 3)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "alice",
        "127.0.0.1",
        3,
    )


def test_another_account_logs_in_from_the_same_address_until_the_address_limit(client, users):
    fail(client, "alice", 5)
    fail(client, "carol", 5)
    fail(client, "dave", 5)
    fail(client, "erin", 4)  # 19 failures from this address

    assert log_in(client, "bob").status_code == 302
    client.logout()
    fail(client, "erin", 1)  # the twentieth
    refused = log_in(client, "bob")

    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    # Elsewhere, bob is not locked: the address was, not the account.
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), "bob").status_code == 302


def test_a_good_login_is_not_slowed_by_the_throttle(client, users):
    fail(client, "alice", 4)

    assert log_in(client, "alice").status_code == 302


class LoginThrottleLiveTests(LiveServerTestCase):
    def test_daphne_refuses_the_right_password_after_five_wrong_ones(self) -> None:
        User.objects.create_user("alice", password=PASSWORD)
        url = f"{self.live_server_url}/accounts/login/"
        with requests.Session() as session:
            session.get(url, timeout=TIMEOUT)

            def post(password: str) -> requests.Response:
                data = {
                    "username": "alice",
                    "password": password,
                    "csrfmiddlewaretoken": session.cookies["csrftoken"],
                }
                return session.post(url, data=data, allow_redirects=False, timeout=TIMEOUT)

            statuses = [post("wrong guess").status_code for _ in range(5)]
            right = post(PASSWORD)

        self.assertEqual(statuses, [200, 200, 200, 200, 429])
        self.assertEqual(right.status_code, 429)
        self.assertIn(LOCKED, right.text)
        self.assertEqual(AccessAttempt.objects.get(username="alice").failures_since_start, 5)

    def test_the_suites_form_logins_still_work(self) -> None:
        User.objects.create_user("bob", password=PASSWORD)
        for _ in range(3):
            login(self.live_server_url, "bob").close()
