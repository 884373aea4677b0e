import calendar

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import permissions, selectors
from .models import Membership


@require_safe
@login_required
def home(request):
    partnerships = selectors.partnership_list_for(request.user)
    roles = permissions.roles_by_partnership(request.user)
    rows = [
        (p, Membership.Role(roles[p.pk]).label if p.pk in roles else "Administrator")
        for p in partnerships
    ]
    return render(request, "core/home.html", {"rows": rows})


@require_safe
@login_required
def partnership_detail(request, slug):
    partnership = permissions.partnership_for(request.user, slug, permissions.Access.PUBLISHED)
    overview = selectors.partnership_overview(partnership, today=timezone.localdate())
    return render(
        request,
        "core/partnership_detail.html",
        {
            "partnership": partnership,
            "overview": overview,
            "fy_start_label": calendar.month_name[partnership.fy_start_month],
            "can_edit": permissions.has_access(request.user, partnership, permissions.Access.EDIT),
            "can_view_live": permissions.has_access(
                request.user, partnership, permissions.Access.LIVE
            ),
        },
    )


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")
