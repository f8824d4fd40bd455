"""Scene lengths across frame rates: a scene keeps its seconds, not its frame count."""


def frames_at(frames: int, project_fps: int, fps: int) -> int:
    """A scene's length in frames at another rate: the same seconds (scenes seek by time)."""
    if fps == project_fps:
        return frames
    return max(1, round(frames * fps / project_fps))
