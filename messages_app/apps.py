from django.apps import AppConfig


class MessagesAppConfig(AppConfig):
    name = "messages_app"
    verbose_name = "Chat messages"

    def ready(self) -> None:
        # Behind Pushpin, held streams end when their reader loses access.
        from .stream_close import connect

        connect()
