import calendar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import permissions, selectors
from .forms import PartnershipSearchForm


@require_safe
@login_required
def home(request):
    form = PartnershipSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    listing = selectors.partnership_page_for(
        request.user, search=search, page_number=request.GET.get("page")
    )
    return render(request, "core/home.html", {"form": form, "listing": listing})


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
    return render(
        request,
        "core/accessibility.html",
        {"accessibility_contact": settings.ACCESSIBILITY_CONTACT},
    )


def permission_denied(request, exception):
    """The 403 page (``handler403``). A member refused a page of the partnership's editors
    (`permissions.EditorsOnly`) is told whose page it is, and where its published reports
    are: the same words for any report the address names, so no draft is revealed."""
    context = {}
    if isinstance(exception, permissions.EditorsOnly):
        match = request.resolver_match
        context = {
            "editors_only": "reports" if match and match.app_name == "reports" else "page",
            "reports_url": reverse("reports:list", args=[exception.partnership.slug]),
        }
    return render(request, "403.html", context, status=403)
