from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from .models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "project",
        "status",
        "progress",
        "resolution",
        "duration",
        "size",
        "time_taken_display",
        "attempts",
        "short_error",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["error", "project__title"]
    list_select_related = ["project"]
    raw_id_fields = ["project"]
    exclude = ["snapshot"]
    readonly_fields = [
        "status",
        "width",
        "height",
        "fps",
        "frames_done",
        "frames_total",
        "file",
        "size_bytes",
        "duration_seconds",
        "client_key",
        "attempts",
        "claim_token",
        "claimed_at",
        "heartbeat_at",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
        "error",
    ]

    @admin.display(description="progress")
    def progress(self, export: Export) -> str:
        return f"{export.frames_done}/{export.frames_total} ({export.percent}%)"

    @admin.display(description="size")
    def resolution(self, export: Export) -> str:
        return f"{export.width}×{export.height} @ {export.fps}"

    @admin.display(description="duration", ordering="duration_seconds")
    def duration(self, export: Export) -> str:
        return "" if export.duration_seconds is None else f"{export.duration_seconds:.1f} s"

    @admin.display(description="file size", ordering="size_bytes")
    def size(self, export: Export) -> str:
        return "" if export.size_bytes is None else filesizeformat(export.size_bytes)

    @admin.display(description="time taken")
    def time_taken_display(self, export: Export) -> str:
        taken = export.time_taken
        return "" if taken is None else f"{taken.total_seconds():.1f} s"

    @admin.display(description="error")
    def short_error(self, export: Export) -> str:
        return export.error[:80]
