"""GOV.UK Frontend classes and ARIA wiring for Django forms and django-tables2.

Forms keep plain widgets; these helpers add the GOV.UK classes when the
partials in templates/includes/ render them, so no form needs classes in its
widget attrs. Nothing here touches the database.
"""

import html
from collections.abc import Iterable, Mapping

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField, BoundWidget
from django.template.defaultfilters import capfirst
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Widget kind -> the GOV.UK class for the control, and its error modifier.
_CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}

# Short inputs read better than full-width ones (GOV.UK "size inputs to the answer").
_DEFAULT_INPUT_WIDTHS = {"number": "10", "date": "10", "datetime-local": "20", "time": "5"}
_FIXED_WIDTHS = {"2", "3", "4", "5", "10", "20", "30"}
_FLUID_WIDTHS = {"full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"}


def widget_kind(widget: forms.Widget) -> str:
    """The partial that renders this widget: input, password, textarea, select,
    checkbox, checkboxes, radios, file, multi or hidden."""
    if widget.is_hidden:
        return "hidden"
    # Order matters: CheckboxSelectMultiple subclasses RadioSelect, and
    # ClearableFileInput subclasses FileInput subclasses Input.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


def _hint_id(field: BoundField) -> str:
    return f"{field.auto_id}-hint"


def _error_id(field: BoundField) -> str:
    return f"{field.auto_id}-error"


def _described_by(field: BoundField) -> str:
    ids = []
    existing = field.field.widget.attrs.get("aria-describedby")
    if existing:
        ids.append(existing)
    if field.auto_id:
        if field.help_text:
            ids.append(_hint_id(field))
        if field.errors:
            ids.append(_error_id(field))
    return " ".join(ids)


def _width_class(width: object) -> str:
    width = str(width or "")
    if width in _FIXED_WIDTHS:
        return f"govuk-input--width-{width}"
    if width in _FLUID_WIDTHS:
        return f"govuk-!-width-{width}"
    return ""


def _join_classes(*classes: str) -> str:
    seen: list[str] = []
    for chunk in classes:
        for name in (chunk or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


def _widget_attrs(field: BoundField, extra_class: str = "", width: object = "") -> dict:
    widget = field.field.widget
    kind = widget_kind(widget)
    attrs: dict = {}
    if kind in _CONTROL_CLASSES or kind == "multi":
        base, error = _CONTROL_CLASSES.get(kind, _CONTROL_CLASSES["input"])
        if not width and kind in ("input", "multi"):
            width = _DEFAULT_INPUT_WIDTHS.get(getattr(widget, "input_type", ""), "")
        attrs["class"] = _join_classes(
            base,
            error if field.errors else "",
            _width_class(width),
            widget.attrs.get("class", ""),
            extra_class,
        )
    if kind == "password":
        attrs.update(
            {
                "class": _join_classes(
                    attrs["class"], "govuk-password-input__input govuk-js-password-input-input"
                ),
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )
    if kind == "textarea" and widget.attrs.get("rows") == "10":
        attrs["rows"] = "5"  # GOV.UK's default height, not Django's
    if getattr(widget, "input_type", "") == "email":
        attrs["spellcheck"] = "false"
    described_by = _described_by(field)
    if described_by and not field.use_fieldset:
        attrs["aria-describedby"] = described_by
    return attrs


# Widgets whose HTML is Django's input.html with nothing else: `_as_widget` writes it
# directly instead of rendering two templates per box (a month sheet has a hundred).
_PLAIN_INPUTS = {
    forms.TextInput: "django/forms/widgets/text.html",
    forms.HiddenInput: "django/forms/widgets/hidden.html",
    forms.EmailInput: "django/forms/widgets/email.html",
    forms.NumberInput: "django/forms/widgets/number.html",
    forms.PasswordInput: "django/forms/widgets/password.html",
    forms.URLInput: "django/forms/widgets/url.html",
}
_DEFAULT_FORM_RENDERER = "django.forms.renderers.DjangoTemplates"


def escape_text(value: object) -> str:
    """`conditional_escape(value)`, the same text, for the HTML written in Python: without
    the wrapper Django's `escape` has for lazy strings, which cost more than the escaping
    itself, and a month sheet escapes some 1,400 values."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _input_html(widget: dict) -> SafeString:
    """django/forms/widgets/input.html and attrs.html, as the templates write them."""
    esc = escape_text
    parts = [f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{esc(str(widget["value"]))}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {esc(name)}")
        if value is not True:
            parts.append(f'="{esc(str(value))}"')
    parts.append(">")
    return mark_safe("".join(parts))


def _as_widget(field: BoundField, attrs: dict | None = None, only_initial: bool = False):
    """`field.as_widget(attrs=...)` (or `field.as_hidden(only_initial=True)`), the same
    HTML, written without the form renderer's templates for plain text and hidden
    inputs; any other widget, or a project form renderer, goes through Django."""
    widget = field.field.hidden_widget() if only_initial else field.field.widget
    if (
        _PLAIN_INPUTS.get(type(widget)) != widget.template_name
        or getattr(settings, "FORM_RENDERER", _DEFAULT_FORM_RENDERER) != _DEFAULT_FORM_RENDERER
        or field.field.localize
    ):
        if only_initial:
            return field.as_hidden(attrs=attrs, only_initial=True)
        return field.as_widget(attrs=attrs)
    # What BoundField.as_widget does before it renders.
    attrs = field.build_widget_attrs(attrs or {}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.html_initial_id if only_initial else field.auto_id)
    if only_initial and field.html_initial_name in field.form.data:
        value = field.form._widget_data_value(widget, field.html_initial_name)
    else:
        value = field.value()
    name = field.html_initial_name if only_initial else field.html_name
    return _input_html(widget.get_context(name, value, attrs)["widget"])


def _with_shown(field: BoundField, widget: str) -> str:
    """The widget, and the hidden value the page showed when the field asks for it
    (``show_hidden_initial``, see csp_portal/core/concurrency.py), as Django's own
    rendering of a bound field does."""
    if field.field.show_hidden_initial:
        return widget + _as_widget(field, only_initial=True)
    return widget


@register.filter
def govuk_kind(field: BoundField) -> str:
    """`{% if field|govuk_kind == "radios" %}`: which GOV.UK pattern the field needs."""
    return widget_kind(field.field.widget)


@register.filter
def govuk_widget(field: BoundField, extra_class: str = ""):
    """`{{ form.x|govuk_widget }}` or `{{ form.x|govuk_widget:"govuk-input--width-5" }}`:
    the widget with its GOV.UK class, error modifier and aria-describedby."""
    return _with_shown(field, _as_widget(field, _widget_attrs(field, extra_class)))


@register.simple_tag
def govuk_widget_with(field: BoundField, width: object = "", **attrs):
    """`{% govuk_widget_with form.x width=5 data_paste_cell="" aria_label="April" %}`.

    Like the `govuk_widget` filter, plus extra HTML attributes (underscores in
    names become hyphens; `class` adds classes) and an input `width`
    (2, 3, 4, 5, 10, 20, 30 or full, two-thirds, one-half ...).
    """
    extra_class = attrs.pop("class", "")
    final = _widget_attrs(field, extra_class, width)
    final.update({name.replace("_", "-"): value for name, value in attrs.items()})
    return _with_shown(field, _as_widget(field, final))


@register.filter
def govuk_shown_for_choices(field: BoundField) -> str:
    """The hidden value a page showed for radios or checkboxes (field.html renders them
    option by option, so not through the widget filters that add it for other inputs)."""
    widget = widget_kind(field.field.widget)
    if field.field.show_hidden_initial and widget in ("radios", "checkboxes"):
        return field.as_hidden(only_initial=True)
    return ""


_VARIATION_TAGS = {
    "special cause improving": ("blue", "Special cause: improving"),
    "special cause concerning": ("orange", "Special cause: concerning"),
    "common cause": ("grey", "Common cause"),
}


@register.simple_tag
def govuk_variation(variation: str | None) -> SafeString:
    """`{% govuk_variation spc.variation %}`: SPC variation in words, in a tag whose
    colour is never the only signal; none is "Not enough figures"."""
    if variation in _VARIATION_TAGS:
        colour, words = _VARIATION_TAGS[variation]
    elif variation:
        colour, words = "purple", escape_text(capfirst(variation))
    else:
        return mark_safe('<span class="app-missing">Not enough figures</span>\n')
    # The newline is the one the include it replaced ended with.
    return mark_safe(
        f'<strong class="govuk-tag govuk-tag--{colour} app-tag--small">{words}</strong>\n'
    )


@register.simple_tag
def govuk_described_by(field: BoundField) -> str:
    """`{% govuk_described_by field as ids %}`: hint and error ids, for a fieldset."""
    return _described_by(field)


@register.filter
def govuk_hint_id(field: BoundField) -> str:
    return _hint_id(field)


@register.filter
def govuk_error_id(field: BoundField) -> str:
    return _error_id(field)


@register.filter
def govuk_choice(option: BoundWidget, kind: str = "radios"):
    """One radio or checkbox from `{% for option in field %}` with its GOV.UK class."""
    attrs = dict(option.data["attrs"])
    attrs["class"] = _join_classes(f"govuk-{kind}__input", attrs.get("class", ""))
    # The fieldset carries the hint and error, so each option need not repeat
    # them to screen readers.
    attrs.pop("aria-describedby", None)
    attrs.pop("aria-invalid", None)
    data = {**option.data, "attrs": attrs}
    return BoundWidget(option.parent_widget, data, option.renderer).tag(wrap_label=False)


@register.filter
def govuk_anchor(field: BoundField) -> str:
    """The id of the first control of a field: where an error summary link goes."""
    if field.id_for_label:
        return field.id_for_label
    if field.auto_id and widget_kind(field.field.widget) in ("radios", "checkboxes", "multi"):
        return f"{field.auto_id}_0"
    return field.auto_id or ""


def _form_errors(form) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    visible = [field for field in form if not field.is_hidden]
    # A form may say where its own non-field errors lead ("" for no link): a sheet's
    # "Nothing was saved" to its first box in conflict, not its first box.
    default_anchor = getattr(form, "non_field_errors_anchor", None)
    if default_anchor is None:
        default_anchor = govuk_anchor(visible[0]) if visible else ""
    for message in form.non_field_errors():
        items.append((default_anchor, message))
    for field in form:
        anchor = default_anchor if field.is_hidden else govuk_anchor(field)
        for message in field.errors:
            items.append((anchor, message))
    return items


@register.simple_tag
def govuk_error_items(form=None, errors: Iterable | None = None) -> list[tuple[str, str]]:
    """`{% govuk_error_items form errors as items %}`: (href, message) pairs.

    `form` may be a form or a formset; `errors` is a list of (anchor_id, message)
    pairs, anchor_id with or without "#" (empty for no link). Non-field errors
    link to the first field, as GOV.UK sign-in pages do, or to the form's
    ``non_field_errors_anchor`` where it has one.
    """
    items: list[tuple[str, str]] = []
    if form:
        if hasattr(form, "forms"):  # a formset
            items.extend(("", message) for message in form.non_form_errors())
            for member in form.forms:
                items.extend(_form_errors(member))
        else:
            items.extend(_form_errors(form))
    if isinstance(errors, Mapping):  # e.g. {"field": ["message", ...]}
        errors = [
            (f"id_{name}", message) for name, messages in errors.items() for message in messages
        ]
    for error in errors or ():
        anchor, message = ("", error) if isinstance(error, str) else error
        items.append((str(anchor or "").lstrip("#"), message))
    return [(f"#{anchor}" if anchor else "", message) for anchor, message in items]


@register.filter
def govuk_any_actions(rows) -> bool:
    """Whether any summary-list row has a change link (a third item)."""
    return any(len(row) > 2 and row[2] for row in rows)


# django-tables2 ----------------------------------------------------------------


@register.simple_tag
def govuk_attrs(attrs, **defaults):
    """`{% govuk_attrs column.attrs.th class="govuk-table__header" %}`.

    Render HTML attributes, adding the given classes to any the table already
    sets (django-tables2's own `render_attrs` replaces them instead).
    """
    merged = dict(attrs or {})
    for name, value in defaults.items():
        name = name.replace("_", "-")
        if name == "class":
            merged["class"] = _join_classes(value, merged.get("class", ""))
        else:
            merged.setdefault(name, value)
    skip = {"th", "td", "tf", "cell", "_ordering", "thead", "tbody", "tfoot"}
    pairs = []
    for name, value in merged.items():
        value = value() if callable(value) else value
        if name not in skip and value is not None and value is not False:
            pairs.append((name, "" if value is True else value))
    return format_html_join(" ", '{}="{}"', pairs)


@register.filter
def govuk_aria_sort(column) -> str:
    """aria-sort for a django-tables2 bound column: ascending, descending or none. Only the
    column the rows are sorted by says so, not one that only breaks its ties."""
    if not column.orderable:
        return ""
    if not _sorted_by(column):
        return "none"
    return "descending" if column.order_by_alias.is_descending else "ascending"


def _sorted_by(column) -> bool:
    ordering = column._table.order_by or ()
    return bool(ordering) and ordering[0].bare == column.name


@register.filter
def govuk_sort_next(column) -> str:
    """Where a column's sort link goes: the other way for the column the rows are sorted
    by, else that column ascending (first click, as a reader expects)."""
    if _sorted_by(column):
        return column.order_by_alias.next
    return column.name


@register.filter
def govuk_row_header(table) -> str:
    """The name of the column whose cells head their rows: the first shown by default, the
    one a table names in `row_header`, none with `first_cell_is_header = False`."""
    if not getattr(table, "first_cell_is_header", True):
        return ""
    if named := getattr(table, "row_header", ""):
        return named
    first = next(iter(table.columns), None)
    return first.name if first else ""


@register.filter
def govuk_stacks(table) -> bool:
    """Whether the table's rows stack below the tablet width (`stacks = True`)."""
    return bool(getattr(table, "stacks", False))


@register.filter
def govuk_row_details(row) -> list:
    """(column, rendered cell) for each column the row's table shows under the row
    (`details`, as csp_portal.core.tables.DetailsTable has them)."""
    return [
        (row.table.columns[name], row.get_cell(name)) for name in getattr(row.table, "details", ())
    ]


# Status and direction markup (templates/includes/status_tag.html and direction.html
# render these): tags, so a table row of a dashboard needs no include per cell.
_STATUS_TAGS = {
    "green": ("green", "G", "Green"),
    "amber": ("amber", "A", "Amber"),
    "red": ("red", "R", "Red"),
}
_DIRECTIONS = {
    "improving": ("improving", "▲", "Improving"),
    "deteriorating": ("deteriorating", "▼", "Deteriorating"),
    "stable": ("stable", "►", "Stable"),
}


@register.simple_tag
def govuk_status_tag(status: object) -> SafeString:
    """`{% govuk_status_tag f.status %}`: RAG status as a GOV.UK tag, a letter in a shape
    and the word; anything but green, amber or red (any case) is "No status"."""
    modifier, shape, word = _STATUS_TAGS.get(str(status or "").lower(), ("none", "–", "No status"))
    return mark_safe(
        f'<strong class="govuk-tag app-status app-status--{modifier}"><span '
        f'class="app-status__shape" aria-hidden="true" data-shape>{shape}</span> {word}</strong>'
    )


@register.simple_tag
def govuk_direction(direction: object, polarity: object = "") -> SafeString:
    """`{% govuk_direction f.direction indicator.polarity %}`: direction of travel, an
    arrow hidden from screen readers and the word; a monitoring-only indicator is
    "For information only" (no better or worse direction), anything else unknown "No comparison"."""
    if polarity == "monitor":
        modifier, arrow, word = "none", "–", "For information only"
    else:
        modifier, arrow, word = _DIRECTIONS.get(
            str(direction or "").lower(), ("none", "–", "No comparison")
        )
    return mark_safe(
        f'<span class="app-direction app-direction--{modifier}"><span '
        f'class="app-direction__arrow" aria-hidden="true" data-shape>{arrow}</span> {word}</span>'
    )
