from django import template

register = template.Library()


@register.filter
def item(mapping, key):
    """mapping[key], or None: for per-row forms kept in a dict by primary key."""
    return mapping.get(key) if mapping else None
