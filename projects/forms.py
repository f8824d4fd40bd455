from django import forms

from .models import Project


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title"]
        error_messages = {"title": {"required": "Give the project a title."}}
