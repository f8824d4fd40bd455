from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from projects.forms import ProjectForm


class Command(BaseCommand):
    help = "Create a project for a user and print its id."

    def add_arguments(self, parser):
        parser.add_argument("--owner", required=True, help="username of the owner")
        parser.add_argument("--title", required=True)

    def handle(self, *args, owner, title, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(owner)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {owner!r}.") from None
        form = ProjectForm({"title": title})
        if not form.is_valid():
            raise CommandError(" ".join(form.errors["title"]))
        self.stdout.write(str(form.save_for(user).id))
