"""The demo's most similar group and neighbours (fixtures/demo/family_group.json).

The Home Office counts it loads are illustrative (made up around the seeds' figures) and
stored with ``illustrative=True``, so every page and report that shows them says so.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from csp_portal.core.models import Partnership
from indicators import data_version
from indicators.models import Indicator

from .models import CspOffenceCount, OffenceMapping, Peer

FAMILY_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo" / "family_group.json"
# The demo's offences that are Home Office subgroups, kept under their groups as the tables
# have them (the other two are the demo's own, kept as groups).
SUBGROUP_OF = {
    "Violence with injury": "Violence against the person",
    "Domestic burglary": "Theft offences",
    "Criminal damage": "Criminal damage and arson",
}


@transaction.atomic
def family_load(path: Path = FAMILY_FILE) -> list[str]:
    """Peers, offence mappings and illustrative counts for the demo partnership. Safe to re-run."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    partnership = Partnership.objects.filter(slug=data["partnership"]).first()
    if partnership is None:
        return []
    selves = [peer["csp_name"] for peer in data["peers"] if peer["is_self"]]
    if len(selves) != 1:
        raise ValueError(f"{path.name}: name one peer as the partnership, not {len(selves)}")
    # A group has one member that is the partnership (a constraint): untick any other first.
    Peer.objects.filter(partnership=partnership, is_self=True).exclude(csp_name=selves[0]).update(
        is_self=False
    )
    for peer in data["peers"]:
        Peer.objects.update_or_create(
            partnership=partnership,
            csp_name=peer["csp_name"],
            defaults={"population": peer["population"], "is_self": peer["is_self"]},
        )
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(partnership=partnership, code__in=data["mappings"])
    }
    for code, groups in data["mappings"].items():
        if code in indicators:
            OffenceMapping.objects.update_or_create(
                indicator=indicators[code], defaults={"offence_groups": ";".join(groups)}
            )
    forces = {p["csp_name"]: p["force"] for p in data["peers"] + data["neighbours"]}
    rows = [
        CspOffenceCount(
            csp_name=name,
            financial_year=int(key[:4]),
            quarter=int(key[-1]),
            offence_group=SUBGROUP_OF.get(group, group),
            offence_subgroup=group if group in SUBGROUP_OF else "",
            count=Decimal(n),
            force_name=forces[name],
            illustrative=True,
        )
        for name, by_quarter in data["counts"].items()
        for key, numbers in by_quarter.items()
        for group, n in zip(data["groups"], numbers, strict=True)
    ]
    stored = CspOffenceCount.objects.filter(csp_name__in=list(data["counts"]), illustrative=True)
    fields = ("csp_name", "financial_year", "quarter", "offence_group", "offence_subgroup")
    if set(stored.values_list(*fields, "count")) == {
        (*(getattr(row, f) for f in fields), row.count) for row in rows
    }:
        return []
    stored.delete()
    CspOffenceCount.objects.bulk_create(rows)
    data_version.changed_everywhere()
    return [
        f"Loaded {partnership.name}'s most similar group ({len(data['peers'])} areas) and "
        f"{len(rows):,} illustrative Home Office counts."
    ]
