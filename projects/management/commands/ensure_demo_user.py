import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = (
        "On a fresh local install (DEBUG on, no users yet), create a 'demo' account that "
        "can open the admin and print its password. Under DEBUG an existing 'demo' account "
        "is given admin access too. Does nothing in production."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if not settings.DEBUG or getattr(settings, "PRODUCTION", False):
            self.stdout.write("DEBUG is off: no demo account (use `manage.py createsuperuser`).")
            return
        # A demo login made before it could open the admin is upgraded, so the
        # README's "/admin/" works for everyone who ran `make run` before.
        upgraded = User.objects.filter(username=DEMO_USERNAME).exclude(
            is_staff=True, is_superuser=True
        )
        if upgraded.update(is_staff=True, is_superuser=True):
            self.stdout.write("The demo account can now open the admin at /admin/.")
        if User.objects.exists():
            return
        password = secrets.token_urlsafe(9)
        User.objects.create_superuser(DEMO_USERNAME, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated a local demo account (it can also open the admin at /admin/).\n"
                f"  username: {DEMO_USERNAME}\n  password: {password}\n"
                "(Change it with `manage.py changepassword demo`.)\n"
            )
        )
