"""The offline brain (the default): plain requests understood with no network."""
