from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from actions import rules

register = template.Library()


@register.filter
def item(mapping, key):
    """mapping[key], or None: for per-row forms kept in a dict by primary key."""
    return mapping.get(key) if mapping else None


# A plan page shows hundreds of tags drawn from a handful of values: each value's
# partial is rendered once per process and reused, so the markup stays in the partial.


@lru_cache(maxsize=64)
def _partial(name: str, key: str, value: str) -> str:
    return render_to_string(name, {key: value}).strip()


@register.filter
def action_status_tag(status, closed=False):
    """An action's status as its word and colour (actions/_action_status.html); with
    ``closed`` (``{{ action.status|action_status_tag:action.closed }}``) a closed action's
    "Complete", with the rating it last had as information."""
    return mark_safe(_status_partial(str(status or ""), bool(closed)))


@lru_cache(maxsize=64)
def _status_partial(status: str, closed: bool) -> str:
    context = {"status": status, "closed": closed, "last_rated": rules.last_rating(status)}
    return render_to_string("actions/_action_status.html", context).strip()


@register.filter
def status_tag(status):
    """A figures status as its word and colour (includes/status_tag.html)."""
    return mark_safe(_partial("includes/status_tag.html", "status", str(status or "")))


@register.simple_tag
def quick_update_fields(pk: int, status: str, legend) -> str:
    """The quick update's status radios and text box for one action, in plain GOV.UK
    markup (a plan page has one per action, so it builds no Django form). Names and ids
    match QuickUpdateForm with prefix "a<pk>"; the hidden input is the status shown."""
    radios = "".join(
        f'<div class="govuk-radios__item"><input class="govuk-radios__input" '
        f'id="id_a{pk}-status_{n}" name="a{pk}-status" type="radio" value="{entry.status}"'
        f'{" checked" if entry.status == status else ""}><label class="govuk-label '
        f'govuk-radios__label" for="id_a{pk}-status_{n}">{_legend_label(entry)}</label></div>'
        for n, entry in enumerate(legend)
    )
    return mark_safe(
        f'<input type="hidden" name="initial-a{pk}-status" value="{escape(status)}">'
        '<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend '
        'class="govuk-fieldset__legend">Status</legend><div class="govuk-radios '
        f'govuk-radios--small" data-module="govuk-radios">{radios}</div></fieldset></div>'
        f'<div class="govuk-form-group"><label class="govuk-label" for="id_a{pk}-text">'
        'Update and further actions</label><textarea class="govuk-textarea" '
        f'id="id_a{pk}-text" name="a{pk}-text" rows="3"></textarea></div>'
    )


@lru_cache(maxsize=64)
def _legend_label(entry) -> str:
    return escape(f"{entry.word}: {entry.meaning}")
