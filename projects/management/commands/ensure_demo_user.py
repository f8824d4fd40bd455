import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "On a fresh local install (DEBUG on, no users yet), create a 'demo' account "
        "and print its password. Does nothing in production or once anyone exists."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo account (use `manage.py createsuperuser`).")
            return
        if User.objects.exists():
            return
        password = secrets.token_urlsafe(9)
        User.objects.create_user("demo", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nCreated a local demo account.\n"
                f"  username: demo\n  password: {password}\n"
                "(Change it with `manage.py changepassword demo`.)\n"
            )
        )
