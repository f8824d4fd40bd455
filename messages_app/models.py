from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Max, Q

PENDING_TEXT = "Generating code..."
FAILED_TEXT = "Sorry, I couldn't do that."


class MessageQuerySet(models.QuerySet):
    """A reply's lifecycle, in one place: pending -> claimed -> success or error -> pending.

    Every change is one conditional UPDATE on a filtered queryset, so two
    runners (or two clicks) racing for the same row change it once: "updated
    0 rows" means someone else got there first.
    """

    def owned_by(self, user) -> "MessageQuerySet":
        """Messages of the user's own projects."""
        return self.filter(project__owner=user)

    def last_seq(self) -> int:
        """The highest place among these messages (0 for none): a new one goes after it.

        Callers hold the owner's lock (ratelimit.lock_user), so two writers
        never take the same place.
        """
        return self.aggregate(m=Max("seq"))["m"] or 0

    def claimable(self, now: datetime) -> "MessageQuerySet":
        """Pending assistant messages nobody holds, or whose holder's lease ran out."""
        expired = now - timedelta(seconds=settings.CHATVIDEO_CLAIM_LEASE_SECONDS)
        return self.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired),
            role=Message.Role.ASSISTANT,
            status=Message.Status.PENDING,
        )

    def running(self, now: datetime) -> "MessageQuerySet":
        """Pending assistant messages a runner holds now: claimed, lease not run out.

        Exactly the pending ones claimable() leaves out, in any process: the
        orphan-reply task counts these to honour the per-user cap.
        """
        live = now - timedelta(seconds=settings.CHATVIDEO_CLAIM_LEASE_SECONDS)
        return self.filter(
            claimed_at__gte=live,
            role=Message.Role.ASSISTANT,
            status=Message.Status.PENDING,
        )

    def stale(self, now: datetime) -> "MessageQuerySet":
        """Claimable replies pending for longer than the hard limit: given up on."""
        limit = timedelta(seconds=settings.CHATVIDEO_HARD_LIMIT_SECONDS)
        return self.claimable(now).filter(pending_since__lt=now - limit)

    def held(self, message_id: int, token) -> "MessageQuerySet":
        """The message while the claim with this token still holds it."""
        return self.filter(id=message_id, claim_token=token, status=Message.Status.PENDING)

    def claim(self, now: datetime, token) -> int:
        """Claim the claimable rows among these for `token`; how many were claimed."""
        return self.claimable(now).update(claimed_at=now, claim_token=token, updated_at=now)

    def end_in_error(self, reason: str, now: datetime) -> int:
        """End these replies in error with a reason the user can read; how many ended."""
        return self.update(**Message.error_fields(reason), updated_at=now)

    def reopen(self, now: datetime) -> int:
        """Put the errored assistant messages among these back to pending; how many."""
        return self.filter(role=Message.Role.ASSISTANT, status=Message.Status.ERROR).update(
            **Message.pending_fields(now),
            updated_at=now,
            # Nothing of the failed run stays.
            error="",
            tool="",
            scene=None,
            brain="",
            model="",
            input_tokens=None,
            output_tokens=None,
            duration_ms=None,
            claimed_at=None,
            claim_token=None,
        )


class Message(models.Model):
    class Role(models.TextChoices):
        USER = "user"
        ASSISTANT = "assistant"

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCESS = "success"
        ERROR = "error"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="messages"
    )
    # Position in the project's chat, assigned under a lock on the project row
    # and unique per project, so two submits can never collide or interleave.
    seq = models.PositiveIntegerField()
    role = models.CharField(max_length=16, choices=Role.choices)
    content = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUCCESS)
    error = models.TextField(blank=True)
    tool = models.CharField(max_length=32, blank=True)
    scene = models.ForeignKey(
        "scenes.Scene", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The user message an assistant message answers.
    in_reply_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reply"
    )
    # Sent by the browser with each submit, so a double submit creates nothing new.
    client_key = models.UUIDField(null=True, blank=True)
    # Which brain answered, and what it cost.
    brain = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    input_tokens = models.PositiveIntegerField(null=True, blank=True)
    output_tokens = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # When this reply last became pending (submitted, or retried): the rate
    # limit counts these, and recover_messages gives up on old ones.
    pending_since = models.DateTimeField(null=True, blank=True)
    # Set by claim_message; a claim older than the lease may be taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["project", "seq"], name="message_unique_seq"),
            models.UniqueConstraint(
                fields=["project", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="message_unique_client_key",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "pending_since"], name="message_status_pending_since"),
            models.Index(fields=["project", "role", "status"], name="message_project_role_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.role} ({self.status}): {self.content[:60]}"

    @staticmethod
    def pending_fields(now: datetime) -> dict:
        """What a reply holds when it becomes pending (submitted, or retried)."""
        return {
            "status": Message.Status.PENDING,
            "content": PENDING_TEXT,
            "pending_since": now,
        }

    @staticmethod
    def error_fields(reason: str) -> dict:
        """What a reply holds when it ends in error: the reason, and no claim."""
        return {
            "status": Message.Status.ERROR,
            "content": FAILED_TEXT,
            "error": reason,
            "claim_token": None,
        }

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "role": self.role,
            "status": self.status,
            "content": self.content,
            "tool": self.tool,
        }
