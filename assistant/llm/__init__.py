"""The model brains (openai.py, anthropic.py) and what they share.

The OpenAI and Anthropic brains differ only in how they talk to their API.
Everything the model sees (the tool schemas, the system prompt with the
storyboard, the conversation) and everything done with its answer (tool call
-> Decision, provider failure -> BrainError) is defined once, in
this package: tools.py, prompt.py, streaming.py, answers.py and retries.py.

Scenes are named by NUMBER in the tool arguments, as the user sees them; they
are turned into scene ids in answers.py. Durations may be given in seconds or frames.
Anything the model gets wrong becomes a BrainError with a sentence a person
can read (a duration out of the tools' bounds too: scenes.tools.duration_problem);
the tools then check what they always check (durations, props, and scene code
through scenes.check).
"""
