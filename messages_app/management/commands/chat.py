import json

from django.core.management.base import BaseCommand, CommandError

from messages_app.forms import MessageForm
from messages_app.models import Message
from messages_app.reply import run_reply
from messages_app.submit import submit_message
from projects.export import export_project
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Send a chat message to a project, as the web page does, and print the reply. "
        "Exits non-zero if the reply ended in error."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("text")
        parser.add_argument(
            "--json", action="store_true", help="print the message and scenes as JSON"
        )

    def handle(self, *args, project_id, text, **options):
        try:
            project = Project.objects.get(id=project_id)
        except Project.DoesNotExist:
            raise CommandError(f"No project with id {project_id}.") from None
        form = MessageForm({"content": text})
        if not form.is_valid():
            raise CommandError(" ".join(form.errors["content"]))
        submitted = submit_message(project, form.cleaned_data["content"])
        run_reply(submitted.pending_reply.id)
        reply = Message.objects.get(id=submitted.pending_reply.id)
        if options["json"]:
            message = {k: v for k, v in reply.as_dict().items() if k != "role"}
            scenes = export_project(project)["scenes"]
            self.stdout.write(json.dumps({"message": message, "scenes": scenes}, indent=2))
        else:
            self.stdout.write(reply.content)
        if reply.status == Message.Status.ERROR:
            raise CommandError(reply.error)
        if reply.status != Message.Status.SUCCESS:
            raise CommandError("The reply is still being worked on by another runner.")
