"""The pages layer: views that render the project pages, the chat and scene partials."""
