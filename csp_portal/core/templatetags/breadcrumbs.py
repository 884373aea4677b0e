"""{% breadcrumbs %}: the trail of links above a page's heading (csp_portal/core/breadcrumbs.py).

A page names only the page it sits under; the trail above that is made from each page's own
parent, never written out in a template. Reads nothing from the database that the page's
view has not read (the partnership, plan or line of what it names).
"""

from django import template

from ..breadcrumbs import Crumb, home, section

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, parent=None, section_name: str = "") -> dict:
    """The trail to ``parent``, the page this one sits under: anything with a ``crumb``
    (a partnership, indicator, action plan, action, commissioning plan or line, report) or
    a Crumb; with ``section_name``, that list of the partnership ``parent``
    ("actions:risks"); with neither, the home page."""
    if section_name:
        crumb = section(parent, section_name)
    elif parent is None:
        crumb = home()
    else:
        crumb = parent if isinstance(parent, Crumb) else parent.crumb
    crumbs = crumb.trail()
    user = context.get("user")
    if user is None or not user.is_authenticated:
        crumbs = [c for c in crumbs if not c.signed_in_only]
    return {"crumbs": crumbs}
