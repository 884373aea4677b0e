"""Builds the demo partnerships from the files in fixtures/demo (written from the seed papers)."""

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from .models import Meeting, Membership, Organisation, Partnership, ThemeGroup, theme_group_key

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_USERS = ("admin", "officer", "panel")
DEMO_PARTNERSHIP = "safer-plymouth"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or "csp-demo"


@transaction.atomic
def core_load(path: Path = DEMO_DIR / "core.json") -> list[Partnership]:
    """Create or update organisations, partnerships, theme groups, members and meetings."""
    data = json.loads(path.read_text(encoding="utf-8"))
    organisations = {}
    for row in data["organisations"]:
        organisations[row["name"]], _ = Organisation.objects.update_or_create(
            name=row["name"],
            defaults={"kind": row["kind"], "statutory": row.get("statutory", False)},
        )
    partnerships = []
    for row in data["partnerships"]:
        defaults = {
            "name": row["name"],
            "area": row.get("area", ""),
            "police_force": row.get("police_force", ""),
            "population": row.get("population"),
            "fy_start_month": row.get("fy_start_month", 4),
        }
        if row.get("rag_legend"):
            defaults["rag_legend"] = row["rag_legend"]
        partnership, _ = Partnership.objects.update_or_create(slug=row["slug"], defaults=defaults)
        partnerships.append(partnership)
        groups = _theme_groups_load(partnership, row.get("theme_groups", []))
        for member in row.get("members", []):
            user = _person(member)
            Membership.objects.update_or_create(
                user=user,
                partnership=partnership,
                defaults={
                    "organisation": organisations[member["organisation"]],
                    "role": member["role"],
                    "job_title": member.get("job_title", ""),
                },
            )
        for meeting in row.get("meetings", []):
            Meeting.objects.update_or_create(
                partnership=partnership,
                title=meeting["title"],
                date=datetime.date.fromisoformat(meeting["date"]),
                defaults={
                    "kind": meeting["kind"],
                    "location": meeting.get("location", ""),
                    "theme_group": groups.get(meeting.get("theme_group", "")),
                },
            )
    return partnerships


def _theme_groups_load(partnership: Partnership, rows: list[dict]) -> dict[str, ThemeGroup]:
    """The partnership's theme groups the file names, by the file's names: each found by
    its name in any case, as imports find them (one of its name in other capitals, made in
    the admin, is the file's group: it keeps its name), or made."""
    stored: dict[str, ThemeGroup] = {}
    for group in partnership.theme_groups.order_by("-pk"):  # the first made, of any two
        stored[theme_group_key(group.name)] = group
    groups = {}
    for row in rows:
        key = theme_group_key(row["name"])
        group = stored.get(key) or ThemeGroup(partnership=partnership, name=row["name"])
        group.chair, group.coordinator = row.get("chair", ""), row.get("coordinator", "")
        group.save()
        groups[row["name"]] = stored[key] = group
    return groups


def _person(member: dict) -> User:
    username = member["email"].split("@")[0].lower()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": member["first_name"],
            "last_name": member["last_name"],
            "email": member["email"],
        },
    )
    if created:
        # Demo people exist to fill the member lists; only the three demo logins sign in.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def users_load() -> list[DemoLogin]:
    """The three demo logins; refuses outside DEBUG so a live site never gets them."""
    if not settings.DEBUG:
        raise PermissionError("Demo users are only created when DJANGO_DEBUG is on.")
    password = demo_password()
    plymouth = Partnership.objects.get(slug=DEMO_PARTNERSHIP)
    council = (
        Organisation.objects.filter(
            kind=Organisation.Kind.LOCAL_AUTHORITY, memberships__partnership=plymouth
        )
        .distinct()
        .first()
    )
    people = [
        ("admin", "Alex", "Admin", True, None, "Administrator: manages every partnership"),
        (
            "officer",
            "Olu",
            "Officer",
            False,
            Membership.Role.OFFICER,
            f"Officer of {plymouth.name}: enters figures and plans",
        ),
        (
            "panel",
            "Pat",
            "Panel",
            False,
            Membership.Role.PANEL_MEMBER,
            f"Scrutiny panel member of {plymouth.name}: reads published reports",
        ),
    ]
    logins = []
    for username, first, last, staff, role, description in people:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": staff,
                "is_superuser": staff,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save()
        if role:
            Membership.objects.update_or_create(
                user=user,
                partnership=plymouth,
                defaults={
                    "organisation": council,
                    "role": role,
                    "job_title": description.split(":")[0],
                },
            )
        logins.append(DemoLogin(username, password, description))
    return logins


def extra_load() -> list[str]:
    """Load the demo figures through the same importer officers use."""
    from indicators import importing

    data_dir = DEMO_DIR / "data"
    if not data_dir.exists():
        return []
    report = importing.import_path(data_dir, by=None, source="demo")
    # Progress updates are not an import table; they come from their own file.
    from actions import demo as actions_demo
    from commissioning.demo import progress_load
    from opendata.demo import family_load

    return [
        report.summary(),
        *progress_load(DEMO_DIR),
        *actions_demo.load(data_dir),
        *family_load(DEMO_DIR / "family_group.json"),
    ]
