"""The partnership core: partnerships, theme groups, organisations, people and meetings."""

import uuid

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.text import slugify

from .breadcrumbs import Crumb, home
from .text import joined, name_key

RAG_COLOURS = ("red", "amber", "green")  # the statuses actions/rules.py reads from a legend


def default_rag_legend() -> dict[str, str]:
    return {
        "red": "Off track: the target will not be met without intervention",
        "amber": "At risk: within tolerance of the target",
        "green": "On track: the target is met or exceeded",
    }


RAG_LEGEND_EXAMPLE = (
    'Write it as {"red": "Off track", "amber": "At risk", "green": "On track"}: '
    "each colour and what it means."
)


def fy_start_kept(month: int, held: list[str]) -> str:
    """Why a partnership with figures keeps the month its financial years start in."""
    return (
        f"This partnership has {joined(held)} "
        f"for financial years that start in {MONTHS[month]}, which would be read wrongly "
        "with any other start: keep its financial year start month."
    )


def rag_legend_problem(legend) -> str | None:
    """What is wrong with a RAG legend, if anything: it maps red, amber or green (some or
    all) to what the colour means, in words; the action pages and reports read it so.
    An empty legend is left to the field's own check."""
    example = RAG_LEGEND_EXAMPLE
    if not legend:
        return None
    if not isinstance(legend, dict):
        return f"The RAG legend must name colours and their meanings. {example}"
    unknown = [str(key) for key in legend if key not in RAG_COLOURS]
    if unknown:
        return (
            f"The RAG legend's colours are red, amber and green, not {', '.join(unknown)}. "
            f"{example}"
        )
    unsaid = [
        key
        for key, meaning in legend.items()
        if not isinstance(meaning, str) or not meaning.strip()
    ]
    if unsaid:
        return f"Give {' and '.join(unsaid)} a meaning in words. {example}"
    return None


# A partnership's population, households or businesses: more than any area holds is a
# typing slip (and past 2,147,483,647 PostgreSQL refuses it outright).
MOST_IN_AN_AREA = 100_000_000
AREA_COUNT_LIMIT = MaxValueValidator(
    MOST_IN_AN_AREA, f"This is more than any area holds (at most {MOST_IN_AN_AREA:,})."
)


def is_partnership_slug(slug: str) -> bool:
    """Whether a slug is lower-case words joined by "-", as the import finds partnerships by
    it (and writes it in every export)."""
    return bool(slug) and slugify(slug) == slug


def validate_partnership_slug(slug: str) -> None:
    if not is_partnership_slug(slug):
        raise ValidationError(
            "The slug must be lower-case words joined by -, such as test-valley.",
            code="invalid",
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        FIRE_RESCUE = "fire_rescue", "Fire and rescue"
        PROBATION = "probation", "Probation"
        PCC = "pcc", "Police and Crime Commissioner"
        HEALTH = "health", "Health"
        VOLUNTARY = "voluntary", "Voluntary sector"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    statutory = models.BooleanField(
        default=False, help_text="A responsible authority under the Crime and Disorder Act 1998."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True, validators=[validate_partnership_slug])
    area = models.CharField(max_length=200, blank=True)
    police_force = models.CharField(max_length=200, blank=True)
    local_authorities = models.CharField(
        max_length=500,
        blank=True,
        help_text='The local authority areas the partnership covers, separated by ";" '
        '(e.g. "Plymouth" or "Plymouth;Torbay"), as police.uk names them in LSOA names.',
    )
    population = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[AREA_COUNT_LIMIT],
        help_text="Used for rates per 1,000 population.",
    )
    households = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[AREA_COUNT_LIMIT],
        help_text="Used for rates per 1,000 households (burglary).",
    )
    businesses = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[AREA_COUNT_LIMIT],
        help_text="Used for rates per 1,000 businesses (business crime).",
    )
    fy_start_month = models.PositiveSmallIntegerField(
        "financial year start month",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="April (4) for UK public bodies.",
    )
    rag_legend = models.JSONField(
        "RAG legend",
        default=default_rag_legend,
        help_text="What red, amber and green mean for this partnership's actions, written "
        'as {"red": "Off track", "amber": "At risk", "green": "On track"}. The key to '
        "indicator status prints these words beside its own target thresholds.",
    )
    organisations = models.ManyToManyField(
        Organisation, through="Membership", related_name="partnerships", blank=True
    )
    reports_public = models.BooleanField(
        "published reports are public",
        default=False,
        help_text="Anyone, signed in or not, may read this partnership's published reports "
        "(scrutiny papers are public documents). Drafts are never public.",
    )
    # A new token, in the same transaction, whenever anything the figures or the figure
    # pages are made from changes (indicators/data_version.py): the key of every cached
    # figure and page fragment. A fresh random token rather than a counter, so that a
    # rolled-back change, or a test database rolled back, never brings an old key back.
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)
    # As data_version, but kept when only figures change (actuals, targets and SPC
    # settings, which give their indicators a new figures version instead): the key of
    # what is made from everything else, such as the most similar group's rankings, so
    # an officer's save of a figure leaves it cached.
    context_version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Its name, slug, financial year and legend appear in cached pages: every save is
        # a change (and never writes back a token read before someone else's change).
        self.data_version = self.context_version = uuid.uuid4()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "data_version",
                "context_version",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("core:partnership", args=[self.slug])

    @property
    def crumb(self) -> Crumb:
        return Crumb(self.name, self.get_absolute_url(), home(), signed_in_only=True)

    def clean(self):
        super().clean()
        problem = rag_legend_problem(self.rag_legend) or self.colours_in_use_dropped()
        if problem:
            raise ValidationError({"rag_legend": problem})
        stored = (
            Partnership.objects.filter(pk=self.pk).values_list("fy_start_month", flat=True).first()
            if self.pk
            else None
        )
        if stored is not None and stored != self.fy_start_month:
            held = self.held_by_financial_year()
            if held:
                raise ValidationError({"fy_start_month": fy_start_kept(stored, held)})

    def held_by_financial_year(self) -> list[str]:
        """What this partnership has stored by its financial years (figures, targets,
        published reports): read by the start month, which cannot change under them."""
        from django.apps import apps  # indicators and reports build on the core

        Actual = apps.get_model("indicators", "Actual")
        Target = apps.get_model("indicators", "Target")
        ReportVersion = apps.get_model("reports", "ReportVersion")
        published = ReportVersion.objects.filter(
            models.Q(report__partnership=self) | models.Q(partnerships_shown=self)
        )
        found = {
            "figures": Actual.objects.filter(indicator__partnership=self),
            "targets": Target.objects.filter(indicator__partnership=self),
            "published reports": published,
        }
        return [what for what, rows in found.items() if rows.exists()]

    def colours_in_use_dropped(self) -> str | None:
        """A colour left out of the legend while actions have it: they could not be
        changed again (their status must be one of the legend's)."""
        if not self.pk or not isinstance(self.rag_legend, dict) or not self.rag_legend:
            return None
        from django.apps import apps  # actions build on the core, not the reverse

        Action = apps.get_model("actions", "Action")
        dropped = [c for c in RAG_COLOURS if not self.rag_legend.get(c)]
        used = sorted(
            set(
                Action.objects.filter(plan__partnership=self, status__in=dropped).values_list(
                    "status", flat=True
                )
            ),
            key=RAG_COLOURS.index,
        )
        if not used:
            return None
        return (
            f"Actions of this partnership are {' and '.join(used)}: keep "
            f"{'those colours' if len(used) > 1 else 'that colour'} in the legend, or "
            "change those actions' status first."
        )

    @property
    def local_authority_names(self) -> list[str]:
        return [a.strip() for a in self.local_authorities.split(";") if a.strip()]


class ChangeRecord(models.Model):
    """One change to a row of a partnership: who, when, old and new (the rows as JSON). Each
    app's record (commissioning, action plans) names its subjects and its partnership."""

    object_id = models.PositiveIntegerField(null=True, blank=True)
    # The row it belongs to, whose page lists its changes, removed or not: an objective's
    # or action's plan, a progress update's line. None for a row that belongs to none (or
    # one removed before this was kept).
    parent_object_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    label = models.CharField(max_length=250)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=30, default="form")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.label} changed at {self.changed_at}"

    @classmethod
    def record(cls, *, old, new, label: str, **fields) -> None:
        """Record a change, if anything changed (old and new: the rows as JSON, None for
        one created or removed); the label cut to what the column holds."""
        if old == new:
            return
        size = cls._meta.get_field("label").max_length
        cls.objects.create(old=old, new=new, label=label[:size], **fields)


class KeepsNameKey:
    """A model with a name (a theme group's name, a plan's title, a risk's or a
    recommendation's reference; a funding stream's source and a commissioning line's
    reference, in their year) that names one row of its partnership whatever its capitals
    and spaces, kept beside it as its `name_key` in a column of its own: the database holds
    that column unique in the partnership, as it cannot fold the name itself (SQLite folds
    the capitals of ASCII letters only, no database spaces), so two saves at once, or a
    script, cannot store "SP 1" beside "sp  1". Set on every save, and checked before
    (``clean`` names the row that has the name; the constraint stays the last word). A
    write that skips ``save`` (``bulk_create``, ``update()``) sets it with `name_key`.

    ``name_fields``: the name's field and its key's.
    """

    name_fields: tuple[str, str]

    def _keep_name_key(self) -> None:
        name, key = self.name_fields
        setattr(self, key, name_key(getattr(self, name) or ""))

    def save(self, *args, **kwargs) -> None:
        self._keep_name_key()
        name, key = self.name_fields
        fields = kwargs.get("update_fields")
        if fields is not None and name in fields:
            kwargs["update_fields"] = {*fields, key}
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None) -> None:
        # The key as it will be saved; left alone where the name is (a form without it, or
        # one whose ``clean`` has already said which row has the name).
        self._keep_name_key()
        name, key = self.name_fields
        if exclude and name in exclude:
            exclude = {*exclude, key}
        super().validate_constraints(exclude)


def theme_group_key(name: str) -> str:
    """What makes two theme group names of a partnership the same group: imports find a
    group by its name in any case and spacing (`name_key`: "Safer  streets" is "Safer
    Streets", "équipe" is "Équipe")."""
    return name_key(name)


def theme_group_name_taken(stored: str, name: str) -> str:
    """Why a theme group cannot take a name: its partnership has ``stored`` already."""
    if stored == name.strip():
        return (
            f"This partnership already has the theme group “{stored}”: use that one, or "
            "choose another name."
        )
    return (
        f"This partnership already has the theme group “{stored}”: use that one, or a "
        "name that differs by more than capitals and spaces."
    )


class ThemeGroup(KeepsNameKey, models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="theme_groups"
    )
    name = models.CharField(max_length=200)
    # The name in any capitals and spaces (`theme_group_key`), set by save.
    name_key = models.TextField(editable=False)
    chair = models.CharField(max_length=200, blank=True)
    coordinator = models.CharField(max_length=200, blank=True)

    name_fields = ("name", "name_key")

    class Meta:
        ordering = ["partnership__name", "name"]
        constraints = [
            # Imports find a group by its name in any capitals and spaces: a second
            # differing only so would split its indicators, and leave the import to guess
            # between them. ``clean`` says which group has the name; this keeps every
            # other way in.
            models.UniqueConstraint(
                fields=["partnership", "name_key"],
                name="unique_theme_group_name_key",
                violation_error_message=(
                    "This partnership already has a theme group of this name, in these or "
                    "other capitals and spaces: use that one, or a name that differs by "
                    "more than capitals and spaces."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partnership})"

    def namesake(self) -> str | None:
        """The name of another theme group of this partnership that this one's name would
        be taken for (the first made), or None."""
        if not self.partnership_id or not self.name:
            return None
        others = ThemeGroup.objects.filter(
            partnership_id=self.partnership_id, name_key=theme_group_key(self.name)
        ).exclude(pk=self.pk)
        return others.order_by("pk").values_list("name", flat=True).first()

    def clean(self) -> None:
        same = self.namesake()
        if same is not None:
            raise ValidationError({"name": theme_group_name_taken(same, self.name)})


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice chair"
        COORDINATOR = "coordinator", "Coordinator"
        OFFICER = "officer", "Officer"
        PANEL_MEMBER = "panel_member", "Panel member"

    # Roles that may enter and change a partnership's figures and plans.
    EDITOR_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.COORDINATOR, Role.OFFICER})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        help_text="A chair, vice chair, coordinator or officer enters and changes the "
        "partnership's figures, plans and reports; a panel member reads its published "
        "reports only.",
    )
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["partnership__name", "organisation__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="unique_membership")
        ]

    def __str__(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{name}, {self.get_role_display()} of {self.partnership}"

    @property
    def can_edit(self) -> bool:
        return self.role in self.EDITOR_ROLES


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        THEME_GROUP = "theme_group", "Theme group"
        # The council's crime and disorder committee (Police and Justice Act 2006, s 19-20).
        SCRUTINY_PANEL = "scrutiny_panel", "Scrutiny panel"
        # Any other body a partnership reports to: a police authority's committee, a police
        # and crime panel.
        COMMITTEE = "committee", "Other committee"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    theme_group = models.ForeignKey(
        ThemeGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title}, {self.date.day} {self.date:%B %Y}"  # "9 December 2026"

    def clean(self):
        super().clean()
        if self.theme_group and self.theme_group.partnership_id != self.partnership_id:
            raise ValidationError({"theme_group": "Choose a theme group of this partnership."})


class Session(AbstractBaseSession):
    """A signed-in session, kept in the database (``csp_portal/core/sessions.py``) with the
    user it belongs to as a column: every request reads the session and its user in one
    query, and deleting a user, or saving them inactive, ends their sessions (a session
    read whose user is inactive, after a bulk update, ends then)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
