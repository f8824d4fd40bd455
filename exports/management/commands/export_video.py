import re
import shutil
import sys
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from exports.models import Export, Status
from exports.request import ExportRefused, request_export
from exports.run import run_export
from projects.models import Project

SIZE = re.compile(r"^(\d{1,5})[x×](\d{1,5})$")
BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Render a project to MP4 in the foreground (the same render a worker runs) and print "
        "the file's path. Progress goes to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("--out", metavar="FILE", help="also copy the video to FILE")
        parser.add_argument("--fps", type=int, help="frames per second (default: the project's)")
        parser.add_argument("--size", metavar="WxH", help="e.g. 1280x720 (default: the project's)")

    def handle(self, *args, project_id, out=None, fps=None, size=None, **options):
        project = Project.objects.filter(id=project_id).first()
        if project is None:
            raise CommandError(f"No project with id {project_id}.")
        width = height = None
        if size is not None:
            match = SIZE.match(size.strip())
            if match is None:
                raise CommandError(f"--size must look like 1280x720, not {size!r}.")
            width, height = int(match[1]), int(match[2])
        out_path = Path(out).expanduser() if out else None
        if out_path is not None and not out_path.parent.is_dir():
            raise CommandError(f"--out: the folder {out_path.parent} does not exist.")
        try:
            export = request_export(project, width=width, height=height, fps=fps, enqueue=False)
        except ExportRefused as exc:
            raise CommandError(str(exc)) from exc

        bar = ProgressBar(sys.stderr)
        try:
            finished = run_export(export.id, report=bar.draw)
        except KeyboardInterrupt:
            export.cancel()
            bar.end()
            raise CommandError(f"Cancelled; export #{export.id} was not finished.") from None
        bar.end()
        if finished is None:
            raise CommandError(f"Export #{export.id} was taken by another worker.")
        if finished.status != Status.DONE:
            raise CommandError(finished.error or f"Export #{export.id} ended {finished.status}.")
        self.stdout.write(str(self.deliver(finished, out_path)))

    def deliver(self, export: Export, out_path: Path | None) -> Path | str:
        """Where the video is now: FILE if --out was given, else its place in storage."""
        if out_path is not None:
            with (
                default_storage.open(export.file.name, "rb") as source,
                out_path.open("wb") as dest,
            ):
                shutil.copyfileobj(source, dest)
            return out_path.resolve()
        try:
            return Path(default_storage.path(export.file.name))
        except NotImplementedError:  # remote storage (S3): its name there
            return export.file.name


class ProgressBar:
    """One line redrawn in place on a terminal; a line per change of stage or 10 % otherwise."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last = None

    def draw(self, export: Export) -> None:
        if export.status == Status.RENDERING:
            filled = BAR_WIDTH * export.percent // 100
            left = f"  about {export.seconds_left} s left" if export.seconds_left else ""
            text = (
                f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] rendering "
                f"{export.frames_done}/{export.frames_total} frames {export.percent:3d}%{left}"
            )
            key = (export.status, export.percent // 10)
        else:
            text = {
                Status.ENCODING: "encoding the MP4...",
                Status.DONE: f"done: {export.frames_total} frames",
            }.get(export.status, export.status)
            key = (export.status, None)
        if self.tty:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
        elif key != self.last:
            self.stream.write(text + "\n")
        self.last = key

    def end(self) -> None:
        if self.tty and self.last is not None:
            self.stream.write("\n")
            self.stream.flush()
