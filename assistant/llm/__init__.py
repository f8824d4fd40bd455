"""The model brains (OpenAI, Anthropic) and what they share: tools, prompt, retries."""
