import uuid

from django import forms
from django.conf import settings


class MessageForm(forms.Form):
    content = forms.CharField(
        label="Message",
        max_length=settings.CHATVIDEO_MAX_MESSAGE_CHARS,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Add a title scene that says Launch Day in orange"}
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
