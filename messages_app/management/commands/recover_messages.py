import time

from django.core.management.base import BaseCommand

from messages_app.recover import give_up_stale_replies


class Command(BaseCommand):
    help = (
        "Mark replies still pending past CHATVIDEO_HARD_LIMIT_SECONDS as error, with a reason "
        "shown in the chat. Run it from cron, or with --every to keep it running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="repeat every SECONDS until stopped"
        )

    def handle(self, *args, every=None, **options):
        while True:
            ids = give_up_stale_replies()
            if ids or options["verbosity"] > 1:
                self.stdout.write(f"Gave up on {len(ids)} stale replies: {ids}")
            if not every:
                return
            time.sleep(every)
