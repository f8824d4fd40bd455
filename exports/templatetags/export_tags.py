from django import template

from projects.models import Project

from ..panel import export_list_context

register = template.Library()


@register.inclusion_tag("exports/_export_list.html", takes_context=True)
def export_panel(context, project: Project) -> dict:
    """The Export button and the project's exports, as the list partial renders them."""
    return {**export_list_context(project), "csrf_token": context.get("csrf_token")}
