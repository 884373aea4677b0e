"""Presenting a report snapshot: ISO dates back to words. No queries, no arithmetic."""

import datetime

from django import template

from indicators import periods

register = template.Library()


@register.filter
def iso_month(value: str) -> str:
    """ "2016-11-01" -> "November 2016"."""
    return periods.month_label(datetime.date.fromisoformat(value)) if value else ""


@register.filter
def iso_date(value: str) -> str:
    """ "2017-01-24" -> "24 January 2017"."""
    if not value:
        return ""
    day = datetime.date.fromisoformat(value[:10])
    return f"{day.day} {periods.month_label(day)}"


@register.filter
def iso_datetime(value: str) -> str:
    """An ISO date and time -> "24 January 2017 at 09:30" (in the site's time zone)."""
    if not value:
        return ""
    from django.utils import timezone

    moment = timezone.localtime(datetime.datetime.fromisoformat(value))
    return f"{moment.day} {periods.month_label(moment.date())} at {moment:%H:%M}"
