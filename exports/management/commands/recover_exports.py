import time

from django.core.management.base import BaseCommand

from exports.recover import recover_exports


class Command(BaseCommand):
    help = (
        "Re-queue exports whose render worker stopped renewing its lease, or that wait in the "
        "queue with no task left to run them (after CHATVIDEO_EXPORT_MAX_ATTEMPTS tries, end "
        "them in error with a reason); mark render task rows of dead workers failed; remove "
        "temp files no live render owns. Run it from cron, or with --every to keep it running."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="repeat every SECONDS until stopped"
        )

    def handle(self, *args, every=None, **options):
        while True:
            result = recover_exports()
            if result.requeued or result.failed or result.removed_files or options["verbosity"] > 1:
                self.stdout.write(
                    f"Re-queued exports {result.requeued}, gave up on {result.failed}, "
                    f"removed {len(result.removed_files)} temp files"
                )
            if not every:
                return
            time.sleep(every)
