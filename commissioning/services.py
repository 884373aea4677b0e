"""Writes to funding streams, lines and progress updates: atomic, validated, audited."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from csp_portal.core.concurrency import Outcome, decide
from csp_portal.core.history import History, changes_described
from csp_portal.core.models import Partnership, ThemeGroup
from csp_portal.core.removal import ASK, added_at, counted, remove_checked, shown_in_report
from indicators import periods
from indicators.validation import plain_number

from .models import (
    CommissioningChange,
    CommissioningLine,
    FundingStream,
    ProgressOutput,
    ProgressUpdate,
)

CONFLICT_MESSAGE = (
    "Someone else changed this {what} after you opened the page. "
    "Open it again to see their change, then make yours."
)
NO_VERSION_MESSAGE = (
    "This {what} could not be checked against what is stored now. "
    "Open it again, then make your change."
)


class EditConflict(ValidationError):
    """A progress update changed since its form was opened (its version moved on); nothing
    was written. Updates keep a version check: their outputs are a list of rows, which the
    field-by-field check of lines and streams does not fit."""


class FieldConflict(Exception):
    """Fields someone else changed since the page was built; nothing was written.

    `row` is the row as stored now; `fields` the names in conflict.
    """

    def __init__(self, row, fields: list[str]):
        super().__init__(f"changed by someone else: {', '.join(fields)}")
        self.row, self.fields = row, fields


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


def _decide(changes: dict[str, tuple], stored: dict) -> list[str]:
    """The fields in conflict (see csp_portal/core/concurrency.py)."""
    return [
        name
        for name, (shown, posted) in changes.items()
        if decide(shown=shown, posted=posted, stored=stored[name]) is Outcome.CONFLICT
    ]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def stream_snapshot(stream: FundingStream | None) -> dict | None:
    if stream is None or stream.pk is None:
        return None
    return {
        "financial_year": stream.financial_year,
        "source": stream.source,
        "amount": _money(stream.amount),
        "allocated_by": stream.allocated_by,
        "criteria": stream.criteria,
        "monitoring": stream.monitoring,
    }


def line_snapshot(line: CommissioningLine | None) -> dict | None:
    if line is None or line.pk is None:
        return None
    return {
        "financial_year": line.financial_year,
        "reference": line.reference,
        "area_of_need": line.area_of_need,
        "recommendation": line.recommendation,
        "theme_group": line.theme_group.name if line.theme_group else None,
        "provider": line.provider,
        "funding_stream": line.funding_stream.source if line.funding_stream else None,
        "contribution_status": line.contribution_status,
        "contribution": _money(line.contribution),
        "total_budget": _money(line.total_budget),
        "start": _day(line.start),
        "end": _day(line.end),
        "status": line.status,
        "outcomes": line.outcomes,
        # Which indicators it serves is part of the line: a change to them alone is audited.
        "indicators": sorted(i.code for i in line.indicators.all()),
    }


def update_snapshot(update: ProgressUpdate | None, outputs=None) -> dict | None:
    if update is None or update.pk is None:
        return None
    if outputs is None:
        outputs = [(o.label, o.value) for o in update.outputs.all()]
    return {
        "date": _day(update.date),
        "text": update.text,
        "reported_by": update.reported_by,
        "outputs": [[label, plain_number(value)] for label, value in outputs],
    }


# Where a change came from ("form", "import", "copy_forward") the public services take as
# ``origin``, where the actions and indicators services take ``source``: stream_save's
# ``source`` is the funding stream's own source (its name). The history stores it as source.
def _audit(partnership, subject, obj, label, old, new, by, source) -> None:
    CommissioningChange.record(
        old=old,
        new=new,
        label=label,
        partnership=partnership,
        subject=subject,
        object_id=obj.pk if obj is not None else None,
        parent_object_id=obj.line_id if isinstance(obj, ProgressUpdate) else None,
        source=source,
        changed_by=by,
    )


def _update_label(line: CommissioningLine, update: ProgressUpdate) -> str:
    return f"{line} update {update.date.isoformat()}"


SUBJECTS = {
    FundingStream: CommissioningChange.Subject.STREAM,
    CommissioningLine: CommissioningChange.Subject.LINE,
    ProgressUpdate: CommissioningChange.Subject.UPDATE,
}
SNAPSHOTS = {
    FundingStream: stream_snapshot,
    CommissioningLine: line_snapshot,
    ProgressUpdate: update_snapshot,
}


def _recorded(row, *, old: dict | None, new: dict | None, by: User | None, source: str) -> None:
    """A change to a stream, line or update made outside these services (the admin)."""
    if isinstance(row, ProgressUpdate):
        partnership, label = row.line.partnership, _update_label(row.line, row)
    else:
        partnership, label = row.partnership, str(row)
    _audit(partnership, SUBJECTS[type(row)], row, label, old, new, by, source)


HISTORY = History(
    models=frozenset(SUBJECTS),
    snapshot=lambda row: SNAPSHOTS[type(row)](row),
    record=_recorded,
)


def _save_checked(row: FundingStream | CommissioningLine) -> None:
    """Save a row full_clean found free of its unique constraints (a stream's source, a
    line's reference, in its year, in any capitals and spaces). Another session may have
    taken the same one since (a double click): the save runs in a savepoint, so that the
    name is looked up again and the row refused with the sentence naming the other's
    (``name_taken``), as the first check would have said."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        taken = row.name_taken()
        if taken:
            raise ValidationError(taken) from None
        row.validate_constraints()
        raise  # nothing taken meanwhile: a fault


def _check_version(current, expected_version: int | None, what: str) -> None:
    # A change without the version its page showed cannot be checked, so is refused.
    if expected_version is None:
        raise EditConflict(NO_VERSION_MESSAGE.format(what=what))
    if current.version != expected_version:
        raise EditConflict(CONFLICT_MESSAGE.format(what=what))


@transaction.atomic
def stream_save(
    *,
    partnership: Partnership,
    financial_year: int,
    source: str,
    amount: Decimal,
    allocated_by: str | None = None,
    criteria: str | None = None,
    monitoring: str | None = None,
    stream: FundingStream | None = None,
    by: User | None,
    origin: str = "form",
) -> FundingStream:
    """Create a funding stream, or set every field of one (forms use stream_change).
    allocated_by, criteria and monitoring left as None keep what is stored (an import
    file written before those columns existed)."""
    if stream is not None:
        stream = FundingStream.objects.select_for_update().get(
            pk=stream.pk, partnership=partnership
        )
    old = stream_snapshot(stream)
    stream = stream or FundingStream(partnership=partnership)
    stream.financial_year = financial_year
    stream.source = source
    stream.amount = amount
    for name, value in (
        ("allocated_by", allocated_by),
        ("criteria", criteria),
        ("monitoring", monitoring),
    ):
        if value is not None:
            setattr(stream, name, value)
    stream.full_clean()
    new = stream_snapshot(stream) if stream.pk else None
    if stream.pk and new == old:
        return stream
    if stream.pk:
        stream.version += 1
    _save_checked(stream)
    _audit(partnership, "stream", stream, str(stream), old, stream_snapshot(stream), by, origin)
    return stream


def stream_changes(stream: FundingStream, amount: Decimal, details: dict) -> list[str]:
    """What stream_save would change in the stored stream, in words ("Amount from £1,250
    to £2,000"), as an import's check run names it; details the file leaves out apart."""
    new = {"amount": amount, **details}
    return changes_described(FundingStream, {name: getattr(stream, name) for name in new}, new)


@transaction.atomic
def stream_change(
    *,
    stream: FundingStream,
    changes: dict[str, tuple],
    by: User | None,
    origin: str = "form",
) -> FundingStream:
    """Change only the fields the person changed ({field: (shown, posted)}); raises
    FieldConflict, writing nothing, where someone else changed one of them meanwhile."""
    stream = FundingStream.objects.select_for_update().get(pk=stream.pk)
    stored = {name: getattr(stream, name) for name in changes}
    clashes = _decide(changes, stored)
    if clashes:
        raise FieldConflict(stream, clashes)
    posted = {name: value for name, (_, value) in changes.items()}
    return stream_save(
        partnership=stream.partnership,
        financial_year=stream.financial_year,
        source=posted.get("source", stream.source),
        amount=posted.get("amount", stream.amount),
        allocated_by=posted.get("allocated_by"),
        criteria=posted.get("criteria"),
        monitoring=posted.get("monitoring"),
        stream=stream,
        by=by,
        origin=origin,
    )


@dataclass(frozen=True)
class LineInput:
    """What a person (or an import row) gives for a line."""

    financial_year: int
    reference: str
    area_of_need: str
    recommendation: str = ""
    theme_group: ThemeGroup | None = None
    provider: str = ""
    funding_stream: FundingStream | None = None
    contribution_status: str = CommissioningLine.Contribution.AMOUNT
    contribution: Decimal | None = None
    total_budget: Decimal | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    status: str = CommissioningLine.Status.PROPOSED
    indicators: tuple | None = None  # None: leave the links as they are
    outcomes: str | None = None  # None: leave the stored outcomes as they are


def _line_values(data: LineInput) -> dict:
    """The fields line_save sets from the input: outcomes only if given, indicators apart."""
    return {
        name: getattr(data, name)
        for name in LineInput.__dataclass_fields__
        if name != "indicators" and not (name == "outcomes" and data.outcomes is None)
    }


def line_unchanged(line: CommissioningLine, data: LineInput) -> bool:
    """Whether line_save would leave the stored line as it is.

    Reads only what the line has loaded: an import reads its lines in bulk, with their
    theme groups and streams, and skips the unchanged ones without a query each.
    """
    if any(getattr(line, name) != value for name, value in _line_values(data).items()):
        return False
    return data.indicators is None or {i.pk for i in data.indicators} == {
        i.pk for i in line.indicators.all()
    }


def line_changes(line: CommissioningLine, data: LineInput) -> list[str]:
    """What line_save would change in the stored line, in words ("Status from Proposed to
    Commissioned"), as an import's check run names it; linked indicators apart."""
    new = _line_values(data)
    return changes_described(CommissioningLine, {name: getattr(line, name) for name in new}, new)


@transaction.atomic
def line_save(
    *,
    partnership: Partnership,
    data: LineInput,
    line: CommissioningLine | None = None,
    by: User | None,
    origin: str = "form",
) -> CommissioningLine:
    """Create a line, or set every field of one (imports, copy forward; forms use
    line_change), after every check; raises ValidationError and writes nothing."""
    if line is not None:
        line = (
            CommissioningLine.objects.select_for_update(of=("self",))
            .select_related("theme_group", "funding_stream")
            .prefetch_related("indicators")  # for its snapshots, before and after
            .get(pk=line.pk, partnership=partnership)
        )
    old = line_snapshot(line)
    line = line or CommissioningLine(partnership=partnership)
    for name, value in _line_values(data).items():
        setattr(line, name, value)
    line.full_clean()
    if data.indicators is not None and any(
        i.partnership_id != partnership.pk for i in data.indicators
    ):
        raise ValidationError({"indicators": "Choose indicators of this partnership."})
    new = line_snapshot(line) if line.pk else None
    indicators_changed = data.indicators is not None and (
        line.pk is None
        or {i.pk for i in data.indicators} != set(line.indicators.values_list("pk", flat=True))
    )
    if line.pk and new == old and not indicators_changed:
        return line
    if line.pk:
        line.version += 1
    _save_checked(line)
    if data.indicators is not None:
        line.indicators.set(data.indicators)
    _audit(partnership, "line", line, str(line), old, line_snapshot(line), by, origin)
    return line


LINE_FIELDS = (
    "reference",
    "area_of_need",
    "recommendation",
    "theme_group",
    "provider",
    "funding_stream",
    "contribution_status",
    "contribution",
    "total_budget",
    "start",
    "end",
    "status",
    "outcomes",
)


@transaction.atomic
def line_change(
    *,
    line: CommissioningLine,
    changes: dict[str, tuple],
    posted: LineInput,
    by: User | None,
    origin: str = "form",
) -> CommissioningLine:
    """Change only the fields the person changed ({field: (shown, posted)}, objects as
    keys, indicators as a set of keys), taking their values from `posted`.

    Raises FieldConflict, writing nothing, where someone else changed one of those
    fields since the page was built; ValidationError, writing nothing, for bad input.
    """
    line = (
        CommissioningLine.objects.select_for_update(of=("self",))
        .select_related("partnership", "theme_group", "funding_stream")
        .get(pk=line.pk)
    )
    stored = {name: _comparable(getattr(line, name)) for name in changes if name in LINE_FIELDS}
    if "indicators" in changes:
        stored["indicators"] = frozenset(line.indicators.values_list("pk", flat=True))
    clashes = _decide(changes, stored)
    if clashes:
        raise FieldConflict(line, clashes)
    current = {name: getattr(line, name) for name in LINE_FIELDS}
    data = LineInput(
        financial_year=line.financial_year,
        **{
            name: getattr(posted, name) if name in changes else current[name]
            for name in LINE_FIELDS
        },
        indicators=posted.indicators if "indicators" in changes else None,
    )
    return line_save(partnership=line.partnership, data=data, line=line, by=by, origin=origin)


@transaction.atomic
def update_save(
    *,
    line: CommissioningLine,
    date: datetime.date,
    text: str,
    reported_by: str = "",
    outputs: list[tuple[str, Decimal]],
    update: ProgressUpdate | None = None,
    expected_version: int | None = None,
    by: User | None,
    origin: str = "form",
) -> ProgressUpdate:
    """Add or change a progress update and its outputs (label and number pairs).

    A change needs the version of the update its page showed (expected_version); a
    change without one, or after someone else's, is an EditConflict.
    """
    if update is not None:
        update = ProgressUpdate.objects.select_for_update().get(pk=update.pk, line=line)
        _check_version(update, expected_version, "update")
    old = update_snapshot(update)
    update = update or ProgressUpdate(line=line, entered_by=by)
    update.date, update.text, update.reported_by = date, text, reported_by
    update.full_clean()
    rows = [
        ProgressOutput(label=label, value=value, position=i)
        for i, (label, value) in enumerate(outputs)
    ]
    for row in rows:
        row.full_clean(exclude=["update"])
    new = update_snapshot(update, outputs) if update.pk else None
    if update.pk and new == old:
        return update
    if update.pk:
        update.version += 1
        update.entered_by = by
    update.save()
    update.outputs.all().delete()
    for row in rows:
        row.update = update
    ProgressOutput.objects.bulk_create(rows)
    _audit(
        line.partnership,
        "update",
        update,
        _update_label(line, update),
        old,
        update_snapshot(update, outputs),
        by,
        origin,
    )
    return update


@dataclass(frozen=True)
class CopyResult:
    lines: list[CommissioningLine]
    streams: list[FundingStream]  # streams created in the new year, amounts as last year's


@transaction.atomic
def lines_copy_forward(
    *, partnership: Partnership, from_year: int, to_year: int, by: User | None
) -> CopyResult:
    """Copy a year's lines into another as proposals, in one step.

    Kept: area of need, recommendation, theme group, provider, contribution (amount
    or status), total budget and linked indicators. Status becomes proposed and the
    contract dates are cleared. Each line's stream becomes the new year's stream of
    the same source, created with last year's amount, allocation, criteria and
    monitoring where the new year has none.
    Refused, writing nothing, if the new year already has a line with any of the
    same references, or if there is nothing to copy.
    """
    if to_year == from_year:
        raise ValidationError("Choose a different year to copy into.")
    lines = list(
        CommissioningLine.objects.filter(partnership=partnership, financial_year=from_year)
        .select_related("funding_stream", "theme_group")
        .prefetch_related("indicators")
        .order_by("reference")
    )
    label = periods.fy_label(from_year, partnership.fy_start_month)
    if not lines:
        raise ValidationError(f"There are no lines in {label} to copy.")
    # In any capitals and spaces, as the new year's lines would be refused one by one.
    clashes = sorted(
        CommissioningLine.objects.filter(
            partnership=partnership,
            financial_year=to_year,
            reference_key__in=[line.reference_key for line in lines],
        ).values_list("reference", flat=True)
    )
    if clashes:
        raise ValidationError(
            f"{periods.fy_label(to_year, partnership.fy_start_month)} already has "
            f"line{'s' if len(clashes) != 1 else ''} {', '.join(clashes)}, so nothing was "
            "copied. Change those lines' references first, or remove them (“Remove this "
            "line” on a line's change page, for a line with no progress updates)."
        )
    # The new year's stream of each source, in any capitals and spaces.
    streams = {
        s.source_key: s
        for s in FundingStream.objects.filter(partnership=partnership, financial_year=to_year)
    }
    created_streams = []
    for old_stream in {line.funding_stream for line in lines if line.funding_stream}:
        if old_stream.source_key not in streams:
            streams[old_stream.source_key] = stream_save(
                partnership=partnership,
                financial_year=to_year,
                source=old_stream.source,
                amount=old_stream.amount,
                allocated_by=old_stream.allocated_by,
                criteria=old_stream.criteria,
                monitoring=old_stream.monitoring,
                by=by,
                origin="copy_forward",
            )
            created_streams.append(streams[old_stream.source_key])
    copies = []
    for line in lines:
        copies.append(
            line_save(
                partnership=partnership,
                data=LineInput(
                    financial_year=to_year,
                    reference=line.reference,
                    area_of_need=line.area_of_need,
                    recommendation=line.recommendation,
                    theme_group=line.theme_group,
                    provider=line.provider,
                    funding_stream=streams[line.funding_stream.source_key]
                    if line.funding_stream
                    else None,
                    contribution_status=line.contribution_status,
                    contribution=line.contribution,
                    total_budget=line.total_budget,
                    status=CommissioningLine.Status.PROPOSED,
                    indicators=tuple(line.indicators.all()),
                ),
                by=by,
                origin="copy_forward",
            )
        )
    return CopyResult(copies, sorted(created_streams, key=lambda s: s.source))


# Removing a row keyed in by mistake (csp_portal/core/removal.py) ---------------

NOUNS = {
    FundingStream: "funding stream",
    CommissioningLine: "commissioning line",
    ProgressUpdate: "progress update",
}
# What to do with a row the record keeps, rather than remove it.
INSTEAD = {
    FundingStream: "",
    CommissioningLine: "set its status to Ended instead",
    ProgressUpdate: "correct it instead",
}
# A line in the wrong year cannot be moved (its stream and updates are the year's).
MOVE_LINE = "To move this line to another year, remove it here and add it again in that year."


def _partnership_id(row) -> int:
    return row.line.partnership_id if isinstance(row, ProgressUpdate) else row.partnership_id


def removal_refusals(row: FundingStream | CommissioningLine | ProgressUpdate) -> list[str]:
    """Why a funding stream, line or progress update cannot be removed on the site: what
    depends on it (a stream's lines, a line's updates), or a report published since it
    was added, which may have shown it. Empty if it can be."""
    model, refusals = type(row), []
    if isinstance(row, FundingStream):
        references = list(row.lines.order_by("reference").values_list("reference", flat=True))
        if references:
            lines = counted(len(references), "commissioning line")
            refusals.append(
                f"This funding stream pays for {lines} ({', '.join(references)}): give "
                f"{'them' if len(references) != 1 else 'it'} another stream or remove "
                f"{'them' if len(references) != 1 else 'it'} first, {ASK}."
            )
    elif isinstance(row, CommissioningLine):
        updates = row.updates.count()
        if updates:
            refusals.append(
                f"This line has {counted(updates, 'progress update')}: "
                f"{INSTEAD[CommissioningLine]}, {ASK}."
            )
    since = added_at(CommissioningChange.objects.filter(subject=SUBJECTS[model], object_id=row.pk))
    # Said once: what to do instead, where another reason has not said it.
    instead = None if refusals else INSTEAD[model]
    shown = shown_in_report(_partnership_id(row), since, NOUNS[model], instead)
    if shown:
        refusals.append(shown)
    return refusals


# What a removal reads of each row for its history (its snapshot and label).
REMOVAL_READS = {
    FundingStream: (("partnership",), ()),
    CommissioningLine: (("partnership", "theme_group", "funding_stream"), ("indicators",)),
    ProgressUpdate: (("line__partnership",), ("outputs",)),
}


def row_remove(
    *,
    row: FundingStream | CommissioningLine | ProgressUpdate,
    by: User | None,
    origin: str = "form",
) -> None:
    """Remove a funding stream, line or progress update that nothing depends on and no
    published report may have shown (`removal_refusals`), and record it removed with every
    field it had. The row is locked first and checked again: a line or update added to it
    meanwhile waits, or makes this a ValidationError, writing nothing."""
    model = type(row)
    joined, prefetched = REMOVAL_READS[model]
    remove_checked(
        row,
        joined=joined,
        prefetched=prefetched,
        noun=NOUNS[model],
        refusals=removal_refusals,
        record=lambda row: _recorded(
            row, old=SNAPSHOTS[model](row), new=None, by=by, source=origin
        ),
    )
