"""Words people use for things, shared by both brains (the offline brain's
patterns and the model brains' reading of a template name).
"""

from scenes.catalog import TEMPLATES

# What people call each template (the catalog's words; its label is the one
# replies use). A phrase belongs to one template only.
TEMPLATE_WORDS = {template.key: list(template.words) for template in TEMPLATES}

TEMPLATE_BY_WORD = {word: key for key, words in TEMPLATE_WORDS.items() for word in words}
