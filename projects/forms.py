from django import forms

from .models import Project


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title"]
        error_messages = {"title": {"required": "Give the project a title."}}

    def save_for(self, owner) -> Project:
        """Create the project for its owner (the form only asks for the title)."""
        self.instance.owner = owner
        return self.save()
