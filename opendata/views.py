import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from csp_portal.core.permissions import Access, has_access, partnership_for
from indicators.models import Indicator

from . import police_uk, selectors, services
from .forms import StreetUploadForm, WardLookupForm
from .models import PoliceImport


@login_required
def upload(request, slug):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    form = StreetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        street = police_uk.StreetCounts()
        try:
            for upload in form.cleaned_data["files"]:
                police_uk.read_upload(upload.file, name=upload.name, into=street)
        except (police_uk.NotStreetFile, UnicodeDecodeError) as error:
            message = (
                str(error)
                if isinstance(error, police_uk.NotStreetFile)
                else f"{upload.name} is not a UTF-8 CSV file"
            )
            form.add_error(
                "files", f"{message}: its first line must be {','.join(police_uk.HEADER)}."
            )
        except (police_uk.RepeatedMonth, police_uk.DamagedFile) as error:
            form.add_error("files", f"{error}.")
        else:
            run = services.police_uk_import(
                partnership=partnership,
                street=street,
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect(run)
    return render(
        request,
        "opendata/upload.html",
        {
            "partnership": partnership,
            "form": form,
            "indicators": services.mapped_indicators(partnership),
            "recent": partnership.police_imports.select_related("imported_by")[:5],
        },
    )


@require_safe
@login_required
def import_detail(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    run = get_object_or_404(PoliceImport, partnership=partnership, pk=pk)
    return render(
        request,
        "opendata/import_detail.html",
        {
            "partnership": partnership,
            "run": run,
            "report": run.report,
            "conflicts": [f for f in run.report.get("figures", []) if f["outcome"] == "conflict"],
            "locked": [f for f in run.report.get("figures", []) if f["outcome"] == "locked"],
            "can_edit": has_access(request.user, partnership, Access.EDIT),
        },
    )


@login_required
def wards_upload(request, slug):
    partnership = partnership_for(request.user, slug, Access.EDIT)
    form = WardLookupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
        try:
            # All or nothing: a row the lookup cannot hold leaves the old lookup as it was.
            count = services.lsoa_wards_replace(
                partnership=partnership, rows=police_uk.read_ward_lookup(text)
            )
        except (ValueError, UnicodeDecodeError) as error:
            # (A UnicodeDecodeError is a ValueError too, with Python's words.)
            form.add_error(
                "file",
                "The file is not a UTF-8 CSV file: save it as CSV UTF-8 and try again."
                if isinstance(error, UnicodeDecodeError)
                else str(error),
            )
        else:
            messages.success(request, f"Loaded {count:,} LSOAs and their wards.")
            return redirect("opendata:wards", slug=partnership.slug)
        finally:
            text.detach()
    return render(
        request,
        "opendata/wards.html",
        {
            "partnership": partnership,
            "form": form,
            "loaded": selectors.ward_lookup_size(partnership),
        },
    )


@require_safe
@login_required
def hotspots(request, slug, pk):
    partnership = partnership_for(request.user, slug, Access.LIVE)
    indicator = get_object_or_404(
        Indicator.objects.select_related("partnership"), partnership=partnership, pk=pk
    )
    result = selectors.hotspots_for(indicator, request.GET.get("month"))
    return render(
        request,
        "opendata/hotspots.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "hotspots": result,
            "can_edit": has_access(request.user, partnership, Access.EDIT),
        },
    )
