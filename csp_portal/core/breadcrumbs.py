"""Breadcrumbs: a page names the page it sits under, and the trail up from there is made
here, each page above naming its own parent in turn (``crumb`` on a partnership, indicator,
action plan, action, commissioning plan or line, report), so no trail leaves a level out.
A crumb says what the page it links to calls itself: its heading, or its title."""

from dataclasses import dataclass

from django.urls import reverse

# A partnership's lists, as their pages' headings name them.
SECTIONS = {
    "indicators:list": "Indicators",
    "actions:plans": "Action plans",
    "actions:risks": "Risks",
    "actions:issues": "Cross-theme issues",
    "actions:recommendations": "Scrutiny recommendations",
    "reports:list": "Reports",
    "opendata:upload": "Import police.uk data",
}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str
    parent: "Crumb | None" = None
    # The home page and a partnership's page are for signed-in users: a public report's
    # reader is shown the trail below them.
    signed_in_only: bool = False

    def trail(self) -> list["Crumb"]:
        """This crumb and those above it, the top first."""
        crumbs, crumb = [], self
        while crumb is not None:
            crumbs.append(crumb)
            crumb = crumb.parent
        return crumbs[::-1]


def home() -> Crumb:
    return Crumb("My partnerships", reverse("core:home"), signed_in_only=True)


def section(partnership, name: str) -> Crumb:
    """The crumb of one of a partnership's lists, such as its risks ("actions:risks")."""
    return Crumb(SECTIONS[name], reverse(name, args=[partnership.slug]), partnership.crumb)
