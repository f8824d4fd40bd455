"""Words people use for things, shared by both brains (the offline brain's
patterns and the model brains' reading of a template name).
"""

# What people call each template (render.TEMPLATE_LABELS holds the one label
# replies use). A phrase belongs to one template only.
TEMPLATE_WORDS = {
    "title": ["title card", "title slide", "title", "headline", "heading"],
    "lower_third": ["lower third", "lower-third", "subtitle", "name tag", "nametag", "name card"],
    "bullets": [
        "bullet list",
        "bulleted list",
        "bullet point list",
        "bullet points",
        "bullets",
        "list",
        "points",
    ],
    "quote": ["quote", "quotation", "testimonial"],
    "counter": ["big number", "counter", "statistic", "stat", "number"],
    "reveal": ["logo reveal", "shape reveal", "logo", "reveal"],
    "split": ["comparison", "split screen", "split", "two columns", "two column", "versus", "vs"],
    "cta": ["call to action", "call-to-action", "cta", "button"],
}

TEMPLATE_BY_WORD = {word: key for key, words in TEMPLATE_WORDS.items() for word in words}
