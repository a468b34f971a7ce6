"""``{% citation page as reference %}``: the page's bibliographic reference (home.citation)."""

from django import template

from home.citation import reference

register = template.Library()


@register.simple_tag(takes_context=True)
def citation(context, page):
    return reference(page, context.get("request"))
