from django import forms

from .models import Project

# The shapes a project can take, at the size the player and exports use.
ASPECTS = {"16:9": (1920, 1080), "9:16": (1080, 1920), "1:1": (1080, 1080)}
ASPECT_LABELS = {
    "16:9": "16:9 landscape",
    "9:16": "9:16 portrait (phones, Reels, Shorts)",
    "1:1": "1:1 square",
}
FPS_CHOICES = (24, 25, 30, 60)
TITLE_MAX = Project._meta.get_field("title").max_length


def aspect_of(width: int, height: int) -> str | None:
    """Which of ASPECTS a size has (1280×720 is 16:9 too); None for any other shape."""
    for name, (w, h) in ASPECTS.items():
        if width * h == height * w:
            return name
    return None


class ProjectForm(forms.ModelForm):
    """A project's title, shape and frame rate: for a new project and for changing one."""

    aspect = forms.ChoiceField(
        label="Aspect ratio",
        choices=list(ASPECT_LABELS.items()),
        initial="16:9",
        # Left out (an older form, a script), the project keeps or gets the default.
        required=False,
        error_messages={"invalid_choice": "Choose an aspect ratio: 16:9, 9:16 or 1:1."},
    )
    fps = forms.TypedChoiceField(
        label="Frames per second",
        coerce=int,
        initial=30,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a frame rate: 24, 25, 30 or 60 fps."},
    )

    class Meta:
        model = Project
        fields = ["title"]
        error_messages = {
            "title": {
                "required": "Give the project a title.",
                "max_length": f"Keep the title to {TITLE_MAX} characters or fewer.",
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rates = set(FPS_CHOICES)
        if self.instance.pk:
            # A project made another way (the command, the admin) keeps its rate on offer.
            rates.add(self.instance.fps)
            self.initial.setdefault("fps", self.instance.fps)
            aspect = aspect_of(self.instance.width, self.instance.height)
            if aspect:
                self.initial.setdefault("aspect", aspect)
        self.fields["fps"].choices = [(rate, f"{rate} fps") for rate in sorted(rates)]
        self.fields["fps"].error_messages["invalid_choice"] = (
            f"Choose a frame rate: {', '.join(str(r) for r in sorted(rates))} fps."
        )

    def format(self) -> tuple[int, int, int]:
        """(width, height, fps) as chosen; a project already of that shape keeps its size."""
        aspect = self.cleaned_data["aspect"] or self.initial.get("aspect") or "16:9"
        fps = self.cleaned_data["fps"] or (self.instance.fps if self.instance.pk else 30)
        if self.instance.pk and aspect_of(self.instance.width, self.instance.height) == aspect:
            return self.instance.width, self.instance.height, fps
        width, height = ASPECTS[aspect]
        return width, height, fps

    def save_for(self, owner) -> Project:
        """Create the project for its owner, in the chosen shape and rate."""
        self.instance.owner = owner
        self.instance.width, self.instance.height, self.instance.fps = self.format()
        return self.save()


def copy_title(title: str) -> str:
    """The title a copy gets: "Copy of …", cut to fit the title field."""
    return f"Copy of {title}"[:TITLE_MAX]
