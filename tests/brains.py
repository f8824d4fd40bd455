"""Brains for tests, selected with the CHATVIDEO_BRAIN setting (a dotted path)."""

import threading
import time

from assistant.decision import BrainContext, Decision
from assistant.offline.brain import OfflineBrain

SLOW_SECONDS = 2.0


class SlowOfflineBrain(OfflineBrain):
    """The offline brain, deliberately slow, so a test can watch the dots."""

    def decide(self, context: BrainContext) -> Decision:
        time.sleep(SLOW_SECONDS)
        return super().decide(context)


class BrokenBrain:
    """A brain that fails, as a misconfigured or crashed provider would."""

    def decide(self, context: BrainContext) -> Decision:
        raise RuntimeError("the model server is unreachable")


class BadToolBrain:
    """A brain that asks for a tool with arguments the tool refuses."""

    def decide(self, context: BrainContext) -> Decision:
        return Decision(
            reply="Trimming.",
            tool="trim_scene",
            args={"scene_id": context.scenes[0].id if context.scenes else 0, "duration_frames": 0},
        )


class CountingBrain(OfflineBrain):
    """The offline brain, counting its calls and pausing to widen any race."""

    calls = 0
    _lock = threading.Lock()

    def decide(self, context: BrainContext) -> Decision:
        with CountingBrain._lock:
            CountingBrain.calls += 1
        time.sleep(0.2)
        return super().decide(context)
