from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "project",
        "seq",
        "role",
        "status",
        "tool",
        "short_content",
        "brain",
        "model",
        "input_tokens",
        "output_tokens",
        "duration_ms",
        "created_at",
    ]
    list_filter = ["status", "role", "tool", "brain"]
    search_fields = ["content", "error"]
    list_select_related = ["project"]
    raw_id_fields = ["project", "scene", "in_reply_to"]
    readonly_fields = [
        "claimed_at",
        "claim_token",
        "client_key",
        "brain",
        "model",
        "input_tokens",
        "output_tokens",
        "duration_ms",
        "created_at",
        "updated_at",
    ]
    ordering = ["project", "seq"]

    @admin.display(description="content")
    def short_content(self, message: Message) -> str:
        return message.content[:80]
