"""Durations in words, for messages people read."""


def describe_duration(seconds: int) -> str:
    """45 -> "45 seconds", 60 -> "1 minute", 90 -> "1 minute 30 seconds", 7200 -> "2 hours"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return _count(seconds, "second")
    if seconds % 3600 == 0:
        return _count(seconds // 3600, "hour")
    minutes, rest = divmod(seconds, 60)
    if rest == 0:
        return _count(minutes, "minute")
    return f"{_count(minutes, 'minute')} {_count(rest, 'second')}"


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
