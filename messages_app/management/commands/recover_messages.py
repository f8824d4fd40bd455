import time

from django.core.management.base import BaseCommand

from messages_app.event_storage import prune_old_events
from messages_app.recover import fail_dead_reply_tasks, give_up_stale_replies


class Command(BaseCommand):
    help = (
        "Mark replies still pending past CHATVIDEO_HARD_LIMIT_SECONDS as error, with a reason "
        "shown in the chat, and delete stored events older than "
        "CHATVIDEO_EVENT_RETENTION_HOURS. Run it from cron, or with --every to keep it running."
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
            # Rows django-tasks-db left RUNNING when a worker was killed mid-answer.
            dead = fail_dead_reply_tasks()
            if dead or options["verbosity"] > 1:
                self.stdout.write(f"Marked {len(dead)} task rows of dead workers failed")
            # Pruned here, in batches, so no request that publishes pays for it.
            pruned = prune_old_events()
            if pruned or options["verbosity"] > 1:
                self.stdout.write(f"Deleted {pruned} old events")
            if not every:
                return
            time.sleep(every)
