from django.db import models
from django.utils.functional import cached_property

from .poster import poster_frame


class Scene(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="scenes")
    # 1-based position in the video; kept gap-free by scenes.tools.
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    duration_frames = models.PositiveIntegerField()
    code = models.TextField()
    # The code was written by a model (scenes.check passed it), not drawn from
    # the props by a template: the tools keep it when the scene is edited or
    # trimmed without new code.
    custom_code = models.BooleanField(default=False)
    props = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["project", "order"], name="scene_project_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @cached_property
    def poster_frame(self) -> int:
        """The frame a paused player and the scene's thumbnail show (scenes/poster.py)."""
        fps = self.project.fps
        return poster_frame(self.code, self.props, self.custom_code, self.duration_frames, fps)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "order": self.order,
            "name": self.name,
            "duration_frames": self.duration_frames,
            "code": self.code,
            "props": self.props,
        }


class SceneChange(models.Model):
    """One scene as it was before and after a message changed it.

    Every scene a message's tool touched gets a row (renumbered neighbours
    included), so undo can put the project back exactly, deleted scenes too.
    """

    class Operation(models.TextChoices):
        ADD = "add"
        EDIT = "edit"
        DELETE = "delete"

    message = models.ForeignKey(
        "messages_app.Message", on_delete=models.CASCADE, related_name="scene_changes"
    )
    # Not a foreign key: the scene may be gone, and undo brings it back by id.
    scene_id = models.BigIntegerField()
    operation = models.CharField(max_length=8, choices=Operation.choices)
    before = models.JSONField(null=True, blank=True)  # None for ADD
    after = models.JSONField(null=True, blank=True)  # None for DELETE
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["message"], name="scenechange_message")]

    def __str__(self) -> str:
        return f"{self.operation} scene {self.scene_id} (message {self.message_id})"
