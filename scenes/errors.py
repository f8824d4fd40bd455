"""The error a scene tool raises when it cannot do what was asked."""


class ToolError(Exception):
    """A tool could not do what was asked; the message is shown to the user.

    Its own module so the code check, the tools and the chat that reports the
    error can all import it without importing each other.
    """
