from django.db import models

PENDING_TEXT = "Generating code..."
FAILED_TEXT = "Sorry, I couldn't do that."


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
