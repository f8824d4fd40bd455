"""An export: one MP4 render of a project's scenes, as they were when it was requested.

Its lifecycle lives here, like a message's: a worker claims a queued export
with one conditional UPDATE, renews its lease (the heartbeat) while it
renders, and every later write is conditional on its claim token, so a
worker that lost its lease (it was presumed dead and the export re-queued,
or the user cancelled) can never overwrite the row.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from .render import SceneSnapshot, VideoInfo


class Status(models.TextChoices):
    QUEUED = "queued"
    RENDERING = "rendering"
    ENCODING = "encoding"
    DONE = "done"
    ERROR = "error"
    CANCELLED = "cancelled"


ACTIVE = [Status.QUEUED, Status.RENDERING, Status.ENCODING]
RUNNING = [Status.RENDERING, Status.ENCODING]
# After this long in the queue the card suggests that no worker is running.
QUEUED_HINT_SECONDS = 30


class ExportQuerySet(models.QuerySet):
    def active(self) -> "ExportQuerySet":
        return self.filter(status__in=ACTIVE)

    def lease_expired(self, now=None) -> "ExportQuerySet":
        """Exports a worker holds but has not renewed within the lease: it is presumed dead."""
        now = now or timezone.now()
        cutoff = now - timedelta(seconds=settings.CHATVIDEO_EXPORT_LEASE_SECONDS)
        return self.filter(status__in=RUNNING, heartbeat_at__lt=cutoff)

    def claim(self, export_id: int) -> uuid.UUID | None:
        """Claim a queued export with one conditional UPDATE; None if someone else has it."""
        token = uuid.uuid4()
        now = timezone.now()
        updated = self.filter(id=export_id, status=Status.QUEUED).update(
            status=Status.RENDERING,
            claim_token=token,
            claimed_at=now,
            heartbeat_at=now,
            started_at=now,
            attempts=F("attempts") + 1,
            frames_done=0,
            error="",
            updated_at=now,
        )
        return token if updated else None


class Export(models.Model):
    Status = Status

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="exports"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    # The scenes as they were when the export was requested (order, name,
    # duration_frames, code) and the size and rate: the render reads only this.
    snapshot = models.JSONField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    fps = models.PositiveSmallIntegerField()
    frames_done = models.PositiveIntegerField(default=0)
    frames_total = models.PositiveIntegerField()
    error = models.TextField(blank=True)
    # Saved through default_storage; never served from MEDIA_URL (see pages/exports.py).
    file = models.FileField(upload_to="exports/", max_length=255, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # Sent with the Export button's form, so a double click creates one export.
    client_key = models.UUIDField(null=True, blank=True)
    # How many workers have claimed it: a worker that died mid-render leaves it
    # to be re-queued until CHATVIDEO_EXPORT_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="export_unique_client_key",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="export_project_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="export_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"Export #{self.id} of project {self.project_id} ({self.status})"

    # --- what the page shows ------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def waiting_long(self) -> bool:
        """Queued for a while with no worker taking it: the page says how to start one."""
        waited = timezone.now() - (self.updated_at or self.created_at)
        return self.status == Status.QUEUED and waited > timedelta(seconds=QUEUED_HINT_SECONDS)

    @property
    def percent(self) -> int:
        if self.status == Status.DONE:
            return 100
        if not self.frames_total:
            return 0
        return min(100, self.frames_done * 100 // self.frames_total)

    @property
    def seconds_left(self) -> int | None:
        """Time left for the frames still to render, at the pace so far (None before a frame)."""
        if self.status != Status.RENDERING or not self.frames_done or self.started_at is None:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        per_frame = elapsed / self.frames_done
        return max(1, round(per_frame * (self.frames_total - self.frames_done)))

    @property
    def time_taken(self) -> timedelta | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def download_name(self) -> str:
        return f"chatvideo-{self.project_id}-export-{self.id}.mp4"

    def scenes(self) -> list[SceneSnapshot]:
        return [SceneSnapshot(**scene) for scene in self.snapshot["scenes"]]

    # --- lifecycle: every write below is one conditional UPDATE ---------------

    def _update_claimed(self, token: uuid.UUID, **fields) -> bool:
        """Write while our claim still holds the export; False when it was lost or cancelled."""
        now = timezone.now()
        updated = Export.objects.filter(id=self.id, claim_token=token, status__in=RUNNING).update(
            heartbeat_at=now, updated_at=now, **fields
        )
        if updated:
            for name, value in fields.items():
                setattr(self, name, value)
        return bool(updated)

    def heartbeat(self, token: uuid.UUID, **fields) -> bool:
        """Renew the lease (and write progress); False means: stop, it is no longer ours."""
        return self._update_claimed(token, **fields)

    def finish(self, token: uuid.UUID, file_name: str, info: VideoInfo) -> bool:
        return self._update_claimed(
            token,
            status=Status.DONE,
            file=file_name,
            size_bytes=info.size_bytes,
            duration_seconds=info.duration_seconds,
            frames_done=info.frames,
            claim_token=None,
            finished_at=timezone.now(),
        )

    def fail(self, token: uuid.UUID, reason: str) -> bool:
        return self._update_claimed(
            token, status=Status.ERROR, error=reason, claim_token=None, finished_at=timezone.now()
        )

    def cancel(self) -> bool:
        """Stop a queued or running export; its worker sees it at its next heartbeat."""
        now = timezone.now()
        updated = Export.objects.filter(id=self.id, status__in=ACTIVE).update(
            status=Status.CANCELLED, claim_token=None, finished_at=now, updated_at=now
        )
        if updated:
            self.status = Status.CANCELLED
        return bool(updated)

    def requeue(self, now=None) -> bool:
        """Put an export whose worker vanished back in the queue (only if its lease ran out)."""
        now = now or timezone.now()
        updated = (
            Export.objects.lease_expired(now)
            .filter(id=self.id)
            .update(
                status=Status.QUEUED,
                claim_token=None,
                claimed_at=None,
                heartbeat_at=None,
                frames_done=0,
                updated_at=now,
            )
        )
        return bool(updated)

    def give_up(self, reason: str, now=None) -> bool:
        """End an export whose worker vanished in error (only if its lease ran out)."""
        now = now or timezone.now()
        updated = (
            Export.objects.lease_expired(now)
            .filter(id=self.id)
            .update(
                status=Status.ERROR, error=reason, claim_token=None, finished_at=now, updated_at=now
            )
        )
        return bool(updated)


@receiver(post_delete, sender=Export)
def delete_export_file(sender, instance: Export, **kwargs) -> None:
    """A deleted export (by the user, the admin, or with its project) takes its file along."""
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: default_storage.delete(name))


class Thumbnail(models.Model):
    """A scene's poster frame as a small JPEG (exports/thumbnails.py renders it in the worker).

    `key` names what it was rendered from (the scene's code and length, the
    project's size and rate): it is fresh while the scene still has that key,
    and a changed scene gets a new one, rendered once and then reused.
    """

    scene = models.OneToOneField("scenes.Scene", on_delete=models.CASCADE, related_name="thumbnail")
    key = models.CharField(max_length=64)
    # Saved through default_storage; served by an owner-checked view (pages/thumbnails.py).
    # Empty when the render failed: `error` says why, and the key is not tried again.
    file = models.FileField(upload_to="thumbnails/", max_length=255, blank=True)
    error = models.TextField(blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    render_ms = models.PositiveIntegerField(default=0)  # Chromium's load, seek and picture
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Thumbnail of scene {self.scene_id}"


@receiver(post_delete, sender=Thumbnail)
def delete_thumbnail_file(sender, instance: Thumbnail, **kwargs) -> None:
    """A thumbnail deleted with its scene (or project) takes its file along."""
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: default_storage.delete(name))
