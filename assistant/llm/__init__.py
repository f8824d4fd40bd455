"""The model brains (openai.py, anthropic.py) and what they share.

The OpenAI and Anthropic brains differ only in how they talk to their API.
Everything the model sees (the tool schemas, the system prompt with the
storyboard, the conversation) and everything done with its answer (tool call
-> Decision, provider failure -> BrainError) is defined once, in
this package: tools.py, prompt.py, streaming.py, answers.py, repair.py and
retries.py.

Scenes are named by NUMBER in the tool arguments, as the user sees them; they
are turned into scene ids in answers.py. Durations may be given in seconds or frames.
Several tool calls in one answer become one Decision's calls, run in order.
A call the model gets wrong (answers.py's checks, or what the tools would
refuse: scenes.tools.check_calls, scene code through scenes.check) goes back
to it with the reason, for up to 2 more rounds (repair.py); only then is it a
BrainError, with a sentence a person can read.
"""
