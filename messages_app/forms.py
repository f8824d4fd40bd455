import uuid

from django import forms
from django.conf import settings


class MessageField(forms.CharField):
    """A CharField whose textarea has no maxlength.

    A browser cuts a paste at maxlength without a word, so a long message
    would be sent cut short and the server's "at most N characters" never
    shown. The limit stays here (max_length, which refuses the message and
    keeps its text in the composer); the page reads it from data-max-chars
    to count near it (static/chatvideo/chat.js).
    """

    def to_python(self, value) -> str:
        # A form sent without JavaScript carries line breaks as CRLF; as one
        # character each, the limit counts what the composer counted.
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")

    def widget_attrs(self, widget: forms.Widget) -> dict:
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["data-max-chars"] = attrs.pop("maxlength")
        return attrs


class MessageForm(forms.Form):
    content = MessageField(
        label="Message",
        max_length=settings.CHATVIDEO_MAX_MESSAGE_CHARS,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": "Add a title scene that says Launch Day in orange",
                # The count near the limit (_composer.html).
                "aria-describedby": "composer-count",
            }
        ),
        error_messages={
            "required": "Type a message first.",
            "max_length": "Messages can be at most %(limit_value)d characters "
            "(this one has %(show_value)d).",
        },
    )
    # A fresh key is rendered with every empty form; a repeated submit of the
    # same form carries the same key and creates nothing new.
    client_key = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "This form is out of date. Reload the page and send again."},
    )

    @classmethod
    def blank(cls) -> "MessageForm":
        return cls(initial={"client_key": uuid.uuid4()})
