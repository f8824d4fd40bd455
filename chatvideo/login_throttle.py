"""Login throttling: django-axes, with one limit per account and another per address.

Failed logins are recorded (axes' AccessAttempt, visible in the admin). An
account is locked for one address after CHATVIDEO_LOGIN_FAILURES_PER_ACCOUNT
failures from that address; an address after
CHATVIDEO_LOGIN_FAILURES_PER_ADDRESS failures over any accounts, so trying
one password on many accounts stops. Either lock lasts
CHATVIDEO_LOGIN_COOLOFF_MINUTES after the last counted failure, and the
login page then says so with a 429, even for the right password.

An account is never locked from every address: then anyone who knows a
user name could keep its owner out for good, a few wrong passwords every
cool-off. The price is that guesses spread over many addresses are slowed
per address only; long random passwords (the validators) cover the rest.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chatvideo.durations import describe_duration


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins for a locked account or address (then ModelBackend checks the password)."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        # authenticate() without a request comes from code, not from a client
        # (the test client's login(), a shell): no address, nothing to throttle.
        # Every login form (ours, the admin's) passes its request.
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Counts failures per account and per address, each against its own limit."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # In the order of AXES_LOCKOUT_PARAMETERS: [["username", "ip_address"], "ip_address"].
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Axes compares one number with AXES_FAILURE_LIMIT (the account limit);
        # shifted like this, an address reaches it exactly at its own limit.
        address_headroom = (
            settings.CHATVIDEO_LOGIN_FAILURES_PER_ADDRESS - settings.AXES_FAILURE_LIMIT
        )
        return max(by_account, by_address - address_headroom)


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted for (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, IPv6 by /64.

    One IPv6 subscriber usually holds a whole /64, so counting single IPv6
    addresses would give one attacker 2^64 fresh limits, and now that an
    account is locked per address, as many guesses at each account.
    """
    address = request.META.get("REMOTE_ADDR")
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def lockout_message() -> str:
    wait = describe_duration(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return f"Too many failed logins. Try again in {wait}."


def lockout_response(request: HttpRequest, *args) -> HttpResponse:
    """The login page with the lockout message, as a 429 (AXES_LOCKOUT_CALLABLE).

    Axes passes (request, response, credentials) or, from its async path,
    (request, credentials); neither is needed here.
    """
    context = {
        "form": AuthenticationForm(request, initial={"username": request.POST.get("username")}),
        "lockout": lockout_message(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
