"""The assistant: the orchestrator and the brains that decide what a message asks for."""
