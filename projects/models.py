from django.conf import settings
from django.db import models


class ProjectQuerySet(models.QuerySet):
    def owned_by(self, user) -> "ProjectQuerySet":
        """The user's own projects: nobody else may see or change them."""
        return self.filter(owner=user)


class Project(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(max_length=200)
    fps = models.PositiveSmallIntegerField(default=30)
    width = models.PositiveIntegerField(default=1920)
    height = models.PositiveIntegerField(default=1080)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="project_owner_recent")]

    def __str__(self) -> str:
        return self.title

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
        }
