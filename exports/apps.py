from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Video exports"

    def ready(self) -> None:
        # A saved scene queues its thumbnail (scenes never imports exports).
        from . import thumbnails  # noqa: F401
