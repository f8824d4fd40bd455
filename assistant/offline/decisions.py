"""From what was understood to one Decision: edits, trims, fields, and new scenes."""

import re

from assistant.decision import BrainContext, Decision
from scenes.models import Scene
from scenes.render import MAX_SPEED, MIN_SPEED, TEMPLATE_LABELS, describe_duration

from . import vocabulary as V
from .parsers import (
    bare,
    clean_text,
    colour_hex,
    duration_frames,
    font_key,
    font_named,
    parse_all,
    peel_leading,
    peel_trailing,
    speed_value,
    split_items,
    split_quoted,
    squash,
    template_of,
)
from .patterns import (
    DURATION,
    FLAGS,
    HELP_LIST,
    OPEN_QUOTES,
    PHRASE_OPTIONS,
    TEMPLATE,
    WORD_OPTIONS,
    A,
    rx,
)
from .replies import (
    NOWHERE,
    ONE_THING,
    REPHRASE,
    Unresolved,
    check_frames,
    check_speed,
    describe_items,
    describe_speed,
    edit_phrases,
    edit_sentence,
    join_and,
    quoted,
)

DEFAULT_DURATION_FRAMES = 150


# --- Decisions ------------------------------------------------------------------


def options_to_props(
    found: list[tuple[str, str]], context: BrainContext, scene: Scene | None
) -> tuple[dict, dict, int | None]:
    """(props, labels for the reply, frames or None) from parsed options."""
    props: dict = {}
    labels: dict = {}
    frames = None
    current = float((scene.props or {}).get("speed", 1.0)) if scene else 1.0
    for prop, text in found:
        if prop in ("background", "color", "accent"):
            props[prop], labels[prop] = colour_hex(text)
        elif prop == "font":
            props["font"], labels["font"] = font_key(text), font_named(text)
        elif prop == "template":
            props["template"] = template_of(text)
        elif prop in ("speed", "speed_change"):
            props["speed"] = speed_value(text, current)
        elif prop == "duration":
            frames = duration_frames(text, context.project.fps)
    if None in props.values():
        raise Unresolved(REPHRASE)
    if "speed" in props:
        whose = f"scene {scene.order}" if scene else "the new scene"
        props["speed"] = check_speed(props["speed"], whose)
    if frames is not None:
        frames = check_frames(frames, context)
    return props, labels, frames


def edit_decision(scene: Scene, props: dict, labels: dict) -> Decision:
    reply = edit_sentence(scene, props, labels)
    if scene.custom_code:
        label = TEMPLATE_LABELS[props.get("template") or scene.props["template"]]
        reply += f" It is drawn as a {label} now, in place of the code the model wrote for it."
    template = props.get("template")
    items = (scene.props or {}).get("items") or props.get("items")
    if template and V.TEMPLATE_CONTENT[template] == "list" and not items:
        reply += (
            f' It has no items yet; say for example "change the items of scene {scene.order} '
            'to A, B and C".'
        )
    return Decision(
        reply=reply, tool="edit_scene", args={"scene_id": scene.id, "props": dict(props)}
    )


def trim_decision(scene: Scene, frames: float, context: BrainContext) -> Decision:
    frames = check_frames(frames, context)
    return Decision(
        reply=f"Scene {scene.order} now lasts {describe_duration(frames, context.project.fps)}.",
        tool="trim_scene",
        args={"scene_id": scene.id, "duration_frames": frames},
    )


def options_decision(found: list[tuple[str, str]], scene: Scene, context: BrainContext):
    props, labels, frames = options_to_props(found, context, scene)
    if frames is not None and props:
        raise Unresolved(ONE_THING)
    if frames is not None:
        return trim_decision(scene, frames, context)
    return edit_decision(scene, props, labels)


def field_decision(
    field: str, link: str | None, value: str, scene: Scene, context: BrainContext
) -> Decision | None:
    """An edit that names the field: "the text of scene 1 to Hello"."""
    prop = V.lookup(V.FIELDS, field)
    link = squash(link).lower() if link else None
    if prop in ("title", "subtitle"):
        colour = colour_hex(value)
        if link in V.SAY_LINKS or (link and not colour):
            said = content_props("title", value) if prop == "title" else {prop: clean_text(value)}
            return edit_decision(scene, said, {})
        if colour and link:
            raise Unresolved(
                f"Do you mean the words or their colour? Say for example "
                f'"make the text of scene {scene.order} {colour[1]}" or '
                f'"change the text of scene {scene.order} to say {clean_text(value)}".',
                soft=True,
            )
        if colour:
            prop = V.TEXT_FIELDS_COLOURED_BY[prop]
            return edit_decision(scene, {prop: colour[0]}, {prop: colour[1]})
        if value.strip()[:1].isupper() or value.strip()[:1] in OPEN_QUOTES:
            # "make the title of scene 1 Hello again": words typed as words are text
            # ("make the text bigger" is not)
            return edit_decision(scene, {prop: clean_text(value)}, {})
        return None
    if prop == "items":
        if not link:
            return None
        items = split_items(value)
        return edit_decision(scene, {"items": items}, {}) if items else None
    if prop in ("background", "color", "accent"):
        colour = colour_hex(value)
        if colour is None:
            raise Unresolved(
                f"I don't know the colour {quoted(bare(value))}. Use a CSS colour name such as "
                '"navy" or a hex code such as "#1e3a8a".',
                soft=True,
            )
        return edit_decision(scene, {prop: colour[0]}, {prop: colour[1]})
    if prop == "font":
        key = font_key(value)
        if key is None:
            raise Unresolved(
                f"I don't know the font {quoted(bare(value))}; the scenes show these families: "
                + ", ".join(V.FONT_LABELS.values())
                + ".",
                soft=True,
            )
        return edit_decision(scene, {"font": key}, {"font": font_named(value)})
    if prop == "speed":
        speed = speed_value(value, float((scene.props or {}).get("speed", 1.0)), loose=True)
        if speed is None:
            raise Unresolved(
                'Say a speed such as "2x", "faster" or "half speed"; speeds run from '
                f"{describe_speed(MIN_SPEED)} to {describe_speed(MAX_SPEED)}.",
                soft=True,
            )
        return edit_decision(scene, {"speed": check_speed(speed, f"scene {scene.order}")}, {})
    if prop == "template":
        key = template_of(value)
        if key is None:
            raise Unresolved(
                f"There is no {quoted(bare(value))} template; there are: "
                + ", ".join(TEMPLATE_LABELS.values())
                + ".",
                soft=True,
            )
        return edit_decision(scene, {"template": key}, {})
    if prop == "duration":
        frames = duration_frames(value, context.project.fps)
        if frames is None:
            raise Unresolved('How long? Say for example "4 seconds" or "90 frames".', soft=True)
        return trim_decision(scene, frames, context)
    return None


# --- Add ---------------------------------------------------------------------------


BIG_NUMBER = (
    r"[-+~]?[$€£¥]?\d(?:[\d,.]*\d)?"
    r"(?:%|\+|x\b|[kmb]\b|bn\b|\s(?:thousand|million|billion)\b)?\+?"
)
CAPTION = (
    rf"(?:\s*,?\s*(?:(?:with|and)\s+)?(?:(?:the|a)\s+)?{A(V.CAPTION_WORDS)}\s*[:=]?\s*"
    r"|\s*[,:-]?\s*)"
)


def content_props(template: str, content: str) -> dict:
    """title / subtitle / items for a new scene, from its text, by template shape."""
    shape = V.TEMPLATE_CONTENT[template]
    if shape == "list":
        return {"items": split_items(content)}
    if shape == "pair":
        parts = re.split(r"\s+(?:vs\.?|versus|against|or)\s+", content, flags=FLAGS)
        if len(parts) < 2:
            parts = re.split(r"\s+(?:and|&)\s+|\s*,\s*", content, flags=FLAGS)
        sides = [clean_text(p) for p in parts if p.strip()]
        return {"title": sides[0], "subtitle": sides[1]} if len(sides) == 2 else {}
    if shape == "number":
        found = re.fullmatch(
            rf"(?:(?:of|at|showing)\s+)?(?P<n>{BIG_NUMBER}){CAPTION}(?P<rest>.*)", content, FLAGS
        )
        if not found:
            return {}
        rest = found["rest"].strip()
        return {"title": found["n"], "subtitle": clean_text(rest) if rest else ""}
    if shape == "person":
        parts = re.split(r"\s*,\s*|\s+[-\u2013\u2014]\s+|\s*\(", content, maxsplit=1)
        role = parts[1].strip().rstrip(")") if len(parts) == 2 else ""
        return {"title": clean_text(parts[0]), "subtitle": clean_text(role) if role else ""}
    if shape == "quote":
        if split := split_quoted(content):
            said, rest = split
            who = re.match(r"\s*(?:[-\u2013\u2014]\s*|,?\s*by\s+)(?P<who>.+)$", rest, FLAGS)
            if who or not bare(rest):
                return {
                    "title": clean_text(said),
                    "subtitle": clean_text(who["who"]) if who else "",
                }
        if found := re.fullmatch(
            r"(?P<q>.+?)\s+[-\u2013\u2014]+\s*(?P<who>[^-\u2013\u2014]+)", content
        ) or QUOTE_BY.match(content.strip()):
            return {"title": clean_text(found["q"]), "subtitle": clean_text(found["who"])}
        return {"title": clean_text(content)}
    # "text": a title, maybe "... with the subtitle X".
    parts = re.split(
        r",?\s+(?:with|and)\s+(?:the\s+|a\s+)?(?:subtitle|tagline|caption)"
        r"(?:\s+(?:to\s+say|to\s+read|to|as|saying|reading|of))?\s*[:=]?\s*",
        content,
        maxsplit=1,
        flags=FLAGS,
    )
    props = {"title": clean_text(parts[0])}
    if len(parts) == 2:
        props["subtitle"] = clean_text(parts[1])
    return props


def describe_new(props: dict) -> str:
    """ "a title card reading “Launch Day”", "a bullet list with 3 items" ..."""
    template = props["template"]
    items = props.get("items", [])
    phrase = V.NEW_SCENE_PHRASES[template].format(
        title=quoted(props.get("title", "")),
        subtitle=quoted(props.get("subtitle", "")),
        items=describe_items(items),
        count=f"{len(items)} item" + ("s" if len(items) != 1 else ""),
    )
    if props.get("subtitle") and "{subtitle}" not in V.NEW_SCENE_PHRASES[template]:
        phrase += V.SUBTITLE_PHRASES[template].format(
            subtitle=quoted(props["subtitle"]), plain=props["subtitle"]
        )
    return phrase


# "a bullet list of three fruits": things to be named, not one point that says so.
COUNTED_THINGS = rx(
    rf"^(?:of\s+|with\s+)?(?:\d+|{A([w for w in V.NUMBER_WORDS if w not in ('a', 'an')])}"
    rf"|some|a\s+few|several|my|our|the)\s+(?P<things>[a-z][a-z -]*[a-z])$"
)


def ask_for_items(things: str, asked: str) -> Unresolved:
    return Unresolved(
        f"Which {things} should the list show? I can't make up its points; name them, "
        f'for example: "add a bullet list with apples, pears and plums". '
        f'(To have "{asked}" as the list\'s only point, put it in quotes.)'
    )


def ask_for_content(template: str) -> Unresolved:
    label = TEMPLATE_LABELS[template]
    return Unresolved(
        f'What should the new {label} show? For example: "{V.TEMPLATE_EXAMPLES[template]}".'
    )


ADD_RE = rx(
    rf"^(?:{A([v for v in V.ADD_VERBS if v != 'make'])}\s+(?:{A(V.ADD_ARTICLES)}\s+)?"
    rf"|make\s+{A(V.ADD_ARTICLES)}\s+|(?={A(V.NEW_WORDS)}))(?P<rest>.+)$"
)
HEAD_FILLER = rx(rf"{A(V.ADD_FILLERS)}[\s,]*")
HEAD = rx(rf"(?P<t>{TEMPLATE})?(?:\s*(?P<noun>{A(V.SCENE_WORDS)}))?(?=$|[\s:,;.!?\-\u2013\u2014])")
LEAD_AT_START = rx(rf"^(?:{A(V.STRONG_LEADS + V.WEAK_LEADS)})\s*")
STRONG_LEAD = rx(rf"(?:^|\s*)(?:{A(V.STRONG_LEADS)})\s*")
TRAILING_PLACE = rx(r"\s+(?:at|to)\s+(?:the\s+)?(?:start|beginning|front|position\s+\d+)[.!]?$")
QUOTE_FROM = rx(r"^(?:from|by)\s+(?P<who>[^:\"\u201c]+?)\s*(?::|,\s*saying)\s*(?P<q>.+)$")
# "Less is more by Mies van der Rohe": a capitalised name after the last "by".
QUOTE_BY = re.compile(
    r"^(?P<q>.+?),?\s+by\s+(?P<who>[A-Z][\w.'-]*"
    r"(?:\s+(?:(?:van|von|der|den|de|da|di|du|del|la|le)\s+)*[A-Z][\w.'-]*){0,3})$"
)
LAST_DURATION = rx(rf",\s*(?P<v>{DURATION})\s*$")
POSITION = rx(rf"(?:^|\s){A(V.POSITION_WORDS)}")


def add(text: str, context: BrainContext) -> Decision | None:
    match = ADD_RE.match(text)
    if not match or HELP_LIST.match(text):  # "give me a list of commands" asks for help
        return None
    rest = match["rest"].strip()
    found: list[tuple[str, str]] = []
    while True:  # "a new red 3-second title card": fillers and adjectives first
        if filler := HEAD_FILLER.match(rest):
            rest = rest[filler.end() :]
            continue
        words, after = peel_leading(rest, WORD_OPTIONS)
        if not words or after == rest:
            break
        found += words
        rest = after
    head = HEAD.match(rest)
    if not head or not (head["t"] or head["noun"]):
        return None
    template = template_of(head["t"]) if head["t"] else "title"
    body = rest[head.end() :].strip()
    if POSITION.match(body):
        raise Unresolved(NOWHERE, soft=True)
    before, body = peel_leading(body, PHRASE_OPTIONS)
    found += before
    if template == "quote" and (source := QUOTE_FROM.match(body)):
        body = f"{source['q']} \u2014 {source['who']}"  # "from Einstein: Imagination..."
    if lead := LEAD_AT_START.match(body):
        content = body[lead.end() :]
    elif lead := STRONG_LEAD.search(body):
        zone = body[: lead.start()]
        if POSITION.search(zone):
            raise Unresolved(NOWHERE, soft=True)
        zone_options = parse_all(zone, PHRASE_OPTIONS + WORD_OPTIONS)
        if zone_options is None:
            return None
        found += zone_options
        content = body[lead.end() :]
    else:
        content = body
    split = split_quoted(content.strip())
    after_quote = parse_all(split[1].lstrip(" ,"), PHRASE_OPTIONS) if split else None
    quoted = bool(split and (after_quote is not None or not bare(split[1])))
    if quoted:
        content = split[0]
        found += after_quote or []
    else:
        content, after = peel_trailing(content, PHRASE_OPTIONS)
        found += after
        if last := LAST_DURATION.search(content):  # "Hello, 3 seconds"
            content, found = content[: last.start()], [*found, ("duration", last["v"])]
    if not bare(content):
        raise ask_for_content(template)
    if TRAILING_PLACE.search(content):  # "... at position 2": arrange.placed's to do
        raise Unresolved(NOWHERE, soft=True)
    counted = not quoted and COUNTED_THINGS.match(content.strip())
    if template == "bullets" and counted:
        raise ask_for_items(counted["things"], content.strip())
    props = content_props(template, content)
    if not (props.get("items") or props.get("title")):
        raise ask_for_content(template)
    style, labels, frames = options_to_props(found, context, None)
    frames = DEFAULT_DURATION_FRAMES if frames is None else frames
    props = {"template": template, **props, **style}
    details = [thing for _, thing in edit_phrases(style, labels)]
    reply = (
        f"Added scene {len(context.scenes) + 1}, {describe_new(props)}, "
        f"{describe_duration(frames, context.project.fps)}"
        + (f", with {join_and(details)}" if details else "")
        + "."
    )
    return Decision(reply=reply, tool="add_scene", args={"props": props, "duration_frames": frames})
