from django.contrib import admin

from .models import Scene


@admin.register(Scene)
class SceneAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "order", "name", "duration_frames", "updated_at"]
    list_filter = ["project"]
    search_fields = ["name"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]
    ordering = ["project", "order"]
