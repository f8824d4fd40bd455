"""The offline brain: understands plain requests with no network.

Every word it knows lives in vocabulary.py (template words in scenes' catalog);
patterns.py combines those tables into patterns, parsers.py reads values,
references.py finds scenes, decisions.py turns a match into one Decision and
replies.py words the answer. Rules are tried in order (rules.RULES); the
first that understands the request answers.

What it cannot resolve (no such scene, an ambiguous reference, a value it does
not know) gets a reply saying what it needs, and no tool: it never guesses.

Choices on ambiguous wording, also stated in the tables:
- "make scene 2 red" / "make it red" colours the BACKGROUND; "make the text
  red" colours the text ("color" prop); "make the accent red" the accent.
- "faster" multiplies the speed by vocabulary.FASTER (1.5), "slower" divides
  by it; "twice as fast" doubles it, "twice as slow" halves it. A speed outside
  MIN_SPEED..MAX_SPEED is refused with the bounds, never clamped.
- "change the text of scene 1 to red" could mean the words or their colour, so
  it asks; "make the text red" colours it, "make the text say red" rewrites it.
- "it", "this scene" = the scene the latest change in the chat touched; if that
  scene is gone, it asks which scene (with only one scene and no earlier
  change, "it" is that scene).
"""

from assistant.decision import BrainContext, Decision

from .parsers import squash, strip_polite
from .replies import REPHRASE, Unresolved
from .rules import RULES


class OfflineBrain:
    def decide(self, context: BrainContext) -> Decision:
        text = strip_polite(squash(context.text))
        fallback = REPHRASE
        for rule in RULES:
            try:
                decision = rule(text, context)
            except Unresolved as problem:
                if not problem.soft:
                    return Decision(reply=problem.reply)
                fallback = problem.reply if fallback == REPHRASE else fallback
                continue
            if decision is not None:
                return decision
        return Decision(reply=fallback)
