"""The scene-template catalog: one entry per template, and nothing else keyed by one.

Everything else that knows the templates is derived from TEMPLATES: the
renderer's labels and plans (scenes/render.py), the names a template may be
called by (scenes/values.py), the offline brain's template words and replies
(assistant/words.py, assistant/offline/vocabulary.py) and the model brains'
tool descriptions (assistant/llm/tools.py). Adding a template is one entry
here plus its layout: templates/scenes/code/<key>.html and a plan_<key>
function in scenes/render.py that times its entrances (see the README).

Every template reads the same props (scenes.render.DEFAULT_PROPS, checked by
scenes.tools.check_props: colours are #rrggbb, the font one of FONTS, the
speed between MIN_SPEED and MAX_SPEED); `parts` says what this one does with
its text parts, which are all it differs in.
"""

from dataclasses import dataclass

# The text parts a template may show, and their types.
PART_TYPES = {"title": "text", "subtitle": "text", "items": "list of texts"}

# How the offline brain reads the text of an "add" request for a template.
CONTENT_KINDS = {
    "text": "the title, optionally '... with subtitle X'",
    "person": '"Jane Doe, CEO" -> title and subtitle',
    "list": '"a, b and c" -> items',
    "quote": '"Less is more - Mies" -> title and subtitle',
    "number": '"1,000,000 with caption downloads" -> title and subtitle',
    "pair": '"Before vs After" -> title and subtitle (the two column headings)',
}


@dataclass(frozen=True)
class SceneTemplate:
    key: str  # what props["template"] holds
    label: str  # the one name replies and the scene list use
    words: tuple[str, ...]  # what people call it; a phrase belongs to one template only
    parts: dict[str, str]  # text part (PART_TYPES) -> what it shows in this template
    help: str  # what it shows, for the models' tool description
    example_props: dict  # props that show it off (tests render every template with them)
    example_request: str  # an "add" request for it, for replies that ask for content
    content: str  # how an "add" request's text fills it (CONTENT_KINDS)
    new_scene: str  # how a reply describes a new one: {title}, {subtitle}, {items}, {count}
    with_subtitle: str  # ... and what it adds when it has a subtitle ({plain} unquoted)
    plural: str = ""  # when adding an "s" to the label is wrong
    pulses: bool = False  # its pill pulses between the entrance and the exit
    # Its poster frame (a paused player, thumbnails; scenes/poster.py), as a
    # share of its entrance: 1.0 is the moment the last element has entered.
    poster: float = 1.0

    @property
    def layout(self) -> str:
        """The Django template that draws it."""
        return f"scenes/code/{self.key}.html"

    def __post_init__(self) -> None:
        assert set(self.parts) <= set(PART_TYPES), self.key
        assert self.content in CONTENT_KINDS, self.key


TEMPLATES: list[SceneTemplate] = [
    SceneTemplate(
        key="title",
        label="title card",
        words=("title card", "title slide", "title", "headline", "heading"),
        parts={"title": "the title, big", "subtitle": "under an accent rule"},
        help="title card: title big, subtitle under an accent rule",
        example_props={"title": "Launch Day", "subtitle": "March 3"},
        example_request="add a title scene that says Launch Day",
        content="text",
        new_scene="a title card reading {title}",
        with_subtitle=" with the subtitle {subtitle}",
    ),
    SceneTemplate(
        key="lower_third",
        label="lower third",
        words=("lower third", "lower-third", "subtitle", "name tag", "nametag", "name card"),
        parts={"title": "the name", "subtitle": "the role"},
        help="name strap at the bottom left: title = name, subtitle = role",
        example_props={"title": "Jane Doe", "subtitle": "CEO"},
        example_request="add a lower third for Jane Doe, CEO",
        content="person",
        new_scene="a lower third for {title}",
        with_subtitle=" ({plain})",
    ),
    SceneTemplate(
        key="bullets",
        label="bullet list",
        words=(
            "bullet list",
            "bulleted list",
            "bullet point list",
            "bullet points",
            "bullets",
            "list",
            "points",
        ),
        parts={"title": "the heading", "items": "the points, entering one after another"},
        help="bullet list: title = heading, items = the points, one after another",
        example_props={"title": "Why us", "items": ["Speed", "Privacy", "Price"]},
        example_request="add a bullet list with speed, privacy and price",
        content="list",
        new_scene="a bullet list with {count}",
        with_subtitle=" under the subtitle {subtitle}",
    ),
    SceneTemplate(
        key="quote",
        label="quote",
        words=("quote", "quotation", "testimonial"),
        parts={"title": "the quote text", "subtitle": "the attribution"},
        help="quote: title = the quote text, subtitle = the attribution",
        example_props={"title": "Less is more", "subtitle": "Mies van der Rohe"},
        example_request="add a quote: Less is more",
        content="quote",
        new_scene="a quote reading {title}",
        with_subtitle=" by {plain}",
    ),
    SceneTemplate(
        key="counter",
        label="big number",
        words=("big number", "counter", "statistic", "stat", "number"),
        parts={
            "title": 'the number text ("1,000,000", "42%", "$4.5M"): it rolls up digit by '
            "digit when it reads as a number, else scales in",
            "subtitle": "the caption",
        },
        help=(
            'big number: title = the number ("1,000,000", "42%", "$4.5M"), rolls up '
            "digit by digit; subtitle = caption"
        ),
        example_props={"title": "1,000,000", "subtitle": "downloads"},
        example_request="add a big number 1,000,000 with caption downloads",
        content="number",
        new_scene="a big number reading {title}",
        with_subtitle=" with the caption {subtitle}",
    ),
    SceneTemplate(
        key="reveal",
        label="logo reveal",
        words=("logo reveal", "shape reveal", "logo", "reveal"),
        parts={"title": "the brand name, after an accent circle mark", "subtitle": "a tagline"},
        help="logo reveal: an accent mark, then title = the brand name; subtitle = tagline",
        example_props={"title": "Acme", "subtitle": "Made to last"},
        example_request="add a logo reveal for Acme",
        content="text",
        new_scene="a logo reveal for {title}",
        with_subtitle=" with the tagline {subtitle}",
    ),
    SceneTemplate(
        key="split",
        label="comparison",
        words=("comparison", "split screen", "split", "two columns", "two column", "versus", "vs"),
        parts={
            "title": "the left heading",
            "subtitle": "the right heading",
            "items": "ALTERNATE left, right, left, right...: each row pairs items[0] with "
            "items[1], items[2] with items[3] (an odd last item sits alone on the left)",
        },
        help=(
            "comparison: title = left heading, subtitle = right heading; items alternate "
            "left, right, left, right (each row pairs items[0] with items[1], ...)"
        ),
        example_props={"title": "Before", "subtitle": "After", "items": ["Slow", "Fast"]},
        example_request="add a comparison of Before vs After",
        content="pair",
        new_scene="a comparison of {title} and {subtitle}",
        with_subtitle="",
    ),
    SceneTemplate(
        key="cta",
        label="call to action",
        words=("call to action", "call-to-action", "cta", "button"),
        parts={
            "title": "the call",
            "subtitle": "a URL or short text, in a pill that pulses a few (finite) times",
        },
        help="call to action: title = the call, subtitle = a URL or short text in a pill",
        example_props={"title": "Sign up today", "subtitle": "example.com"},
        example_request="add a call to action: Sign up today",
        content="text",
        new_scene="a call to action reading {title}",
        with_subtitle=" with the subtitle {subtitle}",
        plural="calls to action",
        pulses=True,
    ),
]

BY_KEY: dict[str, SceneTemplate] = {template.key: template for template in TEMPLATES}
assert len(BY_KEY) == len(TEMPLATES), "two templates share a key"
