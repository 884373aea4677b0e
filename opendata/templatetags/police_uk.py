from django import template

from indicators import periods
from opendata import police_uk

register = template.Library()


@register.filter
def police_month(value: str) -> str:
    """'2024-01' as 'January 2024'."""
    try:
        return periods.month_label(police_uk.month_start(value))
    except (AttributeError, ValueError):
        return value or ""
