"""The offline brain's conversation vocabulary: greetings, questions, features
elsewhere in the app, what it cannot do, vague asks, arranging scenes and
whole-video edits. Like vocabulary.py, only data; the rules that read it are
in talk.py, arrange.py and everywhere.py.
"""

# --- Conversation --------------------------------------------------------------

GREETINGS = [
    "hi",
    "hello",
    "hey",
    "hey there",
    "hi there",
    "hello there",
    "good morning",
    "good afternoon",
    "good evening",
    "yo",
    "howdy",
    "hiya",
    "greetings",
    # "morning!": the greeting without its "good"
    "morning",
    "afternoon",
    "evening",
    "good day",
    "heya",
    "hey hey",
]
ACKS = ["ok", "okay", "yes", "yep", "sure", "no", "nope", "cool", "nice", "good", "lol", "hmm"]
THANKS = ["thanks", "thank you", "thx", "cheers", "great thanks", "perfect thanks", "great"]
HELP = [
    "help",
    "what can you do",
    "what can i do",
    "what do you do",
    "what can you make",
    "what are you",
    "who are you",
    "how does this work",
    "how do i use this",
    "how do i start",
    "what should i say",
    "what can i ask",
    "what can i ask you",
    "what can you change",
    "what are my options",
    "show me what you can do",
    "what kinds of scenes are there",
    "what scenes can you make",
    "what templates are there",
    "which templates are there",
    "list the templates",
    "options",
    "commands",
]

# Contractions typed without their apostrophe, read as if it were there ("whats").
CONTRACTIONS = {
    "whats": "what's", "hows": "how's", "wheres": "where's", "thats": "that's",
    "dont": "don't", "doesnt": "doesn't", "cant": "can't", "isnt": "isn't", "im": "i'm",
}  # fmt: skip

# "I don't like it": unhappy without saying what to change (talk.dislike).
DISLIKES = [
    "don't like", "do not like", "don't love", "hate it", "hate this", "hate that", "is ugly",
    "looks ugly", "looks bad", "looks terrible", "looks awful", "is bad", "is terrible",
    "is awful", "not good", "not great", "not right", "looks wrong", "is wrong", "ugh", "meh",
]  # fmt: skip

# Questions answered from the project: intent -> the ways people ask.
# "hello, anyone there?": a greeting followed by a few words that ask for nothing.
GREETING_CHATTER_WORDS = 4

QUESTIONS = {
    "length": [
        "how long is the video",
        "how long is it",
        "how long is my video",
        "how long is the whole video",
        "how long is this video",
        "what is the length of the video",
        "what's the length of the video",
        "what is the total length",
        "what's the total length",
        "what is the duration",
        "what's the duration",
        "what is the total duration",
        "what's the total duration",
        "total duration",
        "total length",
        "video length",
        "how many seconds is the video",
        "how many seconds is it",
    ],
    "count": [
        "how many scenes",
        "how many scenes are there",
        "how many scenes do i have",
        "how many scenes does it have",
        "how many scenes are in the video",
        "how many slides",
        "how many slides are there",
        "number of scenes",
    ],
    "fonts": [
        "what fonts are there",
        "what fonts can i use",
        "which fonts do you have",
        "which fonts are there",
        "what fonts do you have",
        "list the fonts",
        "fonts",
    ],
    "colours": [
        "what colours can i use",
        "which colours can i use",
        "which colors can i use",
        "what colors can i use",
        "which colours are there",
        "which colors are there",
        "what colours are there",
        "what colors are there",
        "colours",
        "colors",
    ],
    "list": [
        "what scenes are there",
        "what scenes do i have",
        "list the scenes",
        "list all scenes",
        "list scenes",
        "show me the scenes",
        "show the scenes",
        "what's in the video",
        "what is in the video",
        "what's in my video",
        "describe the video",
        "summarize the video",
        "summarise the video",
        "what have we got",
        "what do we have so far",
    ],
}
# "what's in scene 2?": these, then a scene reference.
DESCRIBE_LEADS = [
    "what's in",
    "what is in",
    "what's on",
    "what is on",
    "what does",
    "describe",
    "show me",
    "tell me about",
    "what is",
    "what's",
]

# Vague asks: what they mean -> (props for the touched scene, what the reply says).
# "pop" takes the accent to a stronger colour and speeds the entrance up.
VAGUE = {
    "pop": [
        "make it pop",
        "make this pop",
        "make it more exciting",
        "make it exciting",
        "make it more dynamic",
        "make it punchier",
        "make it more punchy",
        "make it stand out",
        "make it more eye catching",
        "spice it up",
        "make it better",
        "make it nicer",
        "make it look better",
        "make it cooler",
        "make it more fun",
        "make it livelier",
        "jazz it up",
        "make it look good",
        "make it more interesting",
        "make it more modern",
        "make it fancier",
        "it's boring",
        "it looks boring",
        "this is boring",
    ],
    "calm": [
        "make it calmer",
        "make it more subtle",
        "tone it down",
        "make it more relaxed",
        "make it chill",
        "make it more elegant",
        "make it classier",
        "make it look more professional",
        "make it more professional",
        "make it look professional",
        "make it cleaner",
        "make it simpler",
        "make it more minimal",
    ],
}
POP_ACCENT = ("#ff3d00", "a bright orange-red")
CALM_ACCENT = ("#94a3b8", "a soft slate grey")

# Words that make an ask vague even inside a longer sentence ("it looks boring, fix it").
VAGUE_WORDS = {
    "pop": ["boring", "dull", "bland", "lifeless", "more exciting", "more dynamic", "punchier"],
    "calm": ["too busy", "too much", "too loud", "too flashy", "too fast", "distracting"],
}

# "make it look nicer", "make scene 2 prettier": the one word after "make it (look)".
VAGUE_LOOKS = {
    "pop": [
        "nicer", "better", "prettier", "cooler", "fancier", "sharper",
        "livelier", "snazzier", "slicker", "flashier", "catchier", "stronger", "exciting",
        "dynamic", "energetic", "vibrant", "lively", "fun", "interesting", "good", "great",
        "amazing", "awesome", "attractive", "appealing", "striking", "impressive", "epic",
    ],
    "calm": [
        "calmer", "softer", "quieter", "cleaner", "simpler", "subtle", "subtler", "elegant",
        "classy", "classier", "professional", "minimal", "sleek", "serious", "relaxed", "gentle",
    ],
}  # fmt: skip

# "make a video about cats": a first title card for the topic, and what to add next.
TOPIC_VERBS = ["make", "create", "build", "do", "start", "generate", "produce"]
VIDEO_WORDS = ["video", "clip", "movie", "promo", "ad", "explainer", "trailer", "teaser"]

# Words for the video itself, for vague asks ("make the video pop").
WHOLE_WORDS = ["the whole video", "the video", "everything", "all scenes", "every scene", "all"]

# Second readings, tried when a message is not understood as typed:
# (pattern, replacement) - "scene 1 should say Hi" reads as "make scene 1 say Hi".
REWRITES = [
    (
        r"^(?P<ref>.+?)\s+should\s+(?:now\s+)?(?P<verb>say|read|be|last)\s+",
        r"make \g<ref> \g<verb> ",
    ),
    (r"^(?P<ref>.+?)\s+should\s+(?:now\s+)?(?:have|get)\s+", r"give \g<ref> "),
    (
        r"^(?:i\s+want|i'd\s+like|i\s+would\s+like)\s+(?P<ref>.+?)\s+to\s+(?P<verb>say|be|last)\s+",
        r"make \g<ref> \g<verb> ",
    ),
    (r"^(?:can|could)\s+i\s+(?:have|get)\s+(?P<rest>.+?)\?*$", r"add \g<rest>"),
    # "give scene 2 one more second" = "give scene 2 one second more"
    (r"\b(?P<n>\w+)\s+more\s+(?P<unit>seconds?|frames?)\b", r"\g<n> \g<unit> more"),
    # "speed everything up", "slow the quote down a bit": the particle after its object
    (r"^speed\s+(?!up\b)(?P<what>.+?)\s+up\b", r"make \g<what> faster"),
    (r"^slow\s+(?!down\b)(?P<what>.+?)\s+down\b", r"make \g<what> slower"),
    (r"^(?:speed\s+up|quicken)\s+(?P<what>.+)$", r"make \g<what> faster"),
    (r"^slow\s+down\s+(?P<what>.+)$", r"make \g<what> slower"),
    # "cut scene 2 down to 2 seconds", "stretch the whole video to 18 seconds"
    (
        r"^(?:cut|trim|bring|take|shorten|stretch|extend|lengthen|shrink|squeeze)\s+(?P<what>.+?)"
        r"\s+(?:(?:down|back|out)\s+)?to\s+(?=[\w.]+(?:\s+and\s+a\s+half)?\s*-?\s*"
        r"(?:seconds?|secs?|s|frames?|minutes?|mins?)\b)",
        r"make \g<what> ",
    ),
    # "add two more items: Price and Support" = "add Price and Support to the list"
    (
        r"^(?:add|append|include)\s+(?:(?:one|two|three|four|five|a\s+few|some|more|another|new"
        r"|extra|\d+)\s+)*(?:items?|points?|bullets?|bullet\s+points?)\s*(?::|,|saying|called)?"
        r"\s+(?P<items>.+)$",
        r"add \g<items> to the list",
    ),
    # "make scene 1 use a rounded font" = "use a rounded font for scene 1"
    (r"^(?:make|have|let)\s+(?P<ref>.+?)\s+use\s+(?P<what>.+)$", r"use \g<what> for \g<ref>"),
    # "finish with an end card saying Bye" = "add an end card saying Bye"; "open with ..."
    (r"^(?:finish|end|close|wrap\s+up)\s+(?:it\s+|the\s+video\s+)?with\s+", r"add "),
    (
        r"^(?:start|open|begin|kick\s+off)\s+(?:it\s+|the\s+video\s+)?with\s+(?P<what>.+)$",
        r"add \g<what> at the start",
    ),
    # "scene 1 is too long, make it 3 seconds": "it" is the scene the complaint names
    (
        r"^(?P<ref>(?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?:is|feels|seems|looks|'s)\s+"
        r"(?:\w+\s+){0,2}?too\s+\w+\s*[,;.!-]+\s*(?:so\s+|please\s+|just\s+)?(?P<verb>\w+)\s+it\b",
        r"\g<verb> \g<ref>",
    ),
]

# --- Arranging ------------------------------------------------------------------

MOVE_VERBS = ["move", "put", "place", "shift", "drag", "bring"]
DUPLICATE_VERBS = ["duplicate", "copy", "clone", "repeat"]
SWAP_VERBS = ["swap", "switch", "exchange", "trade", "flip"]
TO_START = ["the start", "the beginning", "the front", "the top", "first", "start", "beginning"]
TO_END = ["the end", "the back", "the bottom", "last", "end"]

# Intro and outro: a title card at the start or the end.
INTRO_WORDS = ["intro", "introduction", "opening", "opener", "opening title", "intro card"]
OUTRO_WORDS = ["outro", "ending", "end card", "end screen", "closing", "closing card", "credits"]

# A countdown: a big number per second, from N down to 1.
COUNTDOWN_WORDS = ["countdown", "count down", "count-down"]
COUNTDOWN_DEFAULT = 3
COUNTDOWN_MAX = 10

# List items.
ITEM_WORDS = ["item", "items", "point", "points", "bullet", "bullets", "bullet point", "line"]
LIST_PLACES = ["the list", "the bullets", "the bullet list", "the points", "the items"]

# --- Whole video --------------------------------------------------------------------

EVERY = [
    "every scene",
    "all scenes",
    "all the scenes",
    "all of the scenes",
    "each scene",
    "every slide",
    "all slides",
    "all the slides",
    "the whole video",
    "the entire video",
    "the whole thing",
    "the video",
    "everything",
    "all of it",
    "everywhere",
    "throughout",
    "across the video",
    "across all scenes",
    "in every scene",
    "on every scene",
    "for every scene",
    "for all scenes",
    "in all scenes",
    "on all scenes",
]
# "all quotes", "every title card": these, then a template word (plural or not).
EVERY_KIND = ["all the", "all", "every", "each"]

# Themes: a word -> props every scene gets.
THEMES = {
    "dark": {"background": "#0f172a", "color": "#f8fafc"},
    "dark mode": {"background": "#0f172a", "color": "#f8fafc"},
    "light": {"background": "#ffffff", "color": "#0f172a"},
    "light mode": {"background": "#ffffff", "color": "#0f172a"},
    "bright": {"background": "#ffffff", "color": "#0f172a"},
    "night": {"background": "#000000", "color": "#ffffff"},
}
THEME_LABELS = {
    "dark": "a dark theme (near-black background, white text)",
    "light": "a light theme (white background, dark text)",
}

# --- Fonts ------------------------------------------------------------------------------

# Well-known font names -> the family the scenes ship that is closest.
KNOWN_FONTS = {
    "sans": [
        "arial",
        "helvetica",
        "helvetica neue",
        "inter",
        "roboto",
        "open sans",
        "lato",
        "verdana",
        "segoe ui",
        "calibri",
        "montserrat",
        "poppins",
        "futura",
        "gill sans",
        "tahoma",
        "trebuchet",
        "source sans",
        "sf pro",
        "san francisco",
        "avenir",
        "proxima nova",
    ],
    "serif": [
        "georgia",
        "times",
        "times new roman",
        "garamond",
        "baskerville",
        "playfair",
        "playfair display",
        "merriweather",
        "cambria",
        "palatino",
        "didot",
        "bodoni",
        "book antiqua",
        "libre baskerville",
    ],
    "mono": [
        "courier",
        "courier new",
        "consolas",
        "menlo",
        "monaco",
        "jetbrains mono",
        "fira code",
        "fira mono",
        "source code pro",
        "roboto mono",
        "code",
    ],
    "rounded": [
        "comic sans",
        "comic sans ms",
        "nunito",
        "varela round",
        "quicksand",
        "arial rounded",
        "fredoka",
        "comfortaa",
    ],
    "condensed": [
        "oswald",
        "impact",
        "bebas",
        "bebas neue",
        "roboto condensed",
        "arial narrow",
        "league gothic",
        "anton",
        "barlow condensed",
    ],
}
