"""A signed-in person's pages and files carry ``Cache-Control: private, no-store``
(`PrivateResponsesMiddleware`), so no shared cache or shared machine keeps them; a view's
own Cache-Control stands, and what is read signed out stays cacheable."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from csp_portal.core.models import Partnership
from csp_portal.core.sessions import PrivateResponsesMiddleware

PRIVATE = {"private", "no-store"}


def _cache_control(response) -> set[str]:
    assert response.status_code == 200
    return set(response.get("Cache-Control", "").split(", "))


@pytest.mark.django_db
def test_a_signed_in_persons_pages_and_files_are_kept_by_no_cache(
    client, partnership_a, officer_a, report_a, draft_a
):
    client.force_login(officer_a)
    slug = partnership_a.slug
    urls = [
        reverse("reports:preview", args=[slug, draft_a.pk]),
        reverse("indicators:list", args=[slug]),
        reverse("indicators:list", args=[slug]) + "?_export=csv",
        reverse("indicators:export", args=[slug]),
        reverse("actions:risks", args=[slug]) + "?_export=csv",
    ]
    for url in urls:
        assert _cache_control(client.get(url)) == PRIVATE, url
    for kind in ("pdf", "docx", "csv", "detail"):
        response = client.get(reverse(f"reports:{kind}", args=[slug, report_a.pk]))
        assert _cache_control(response) == PRIVATE, kind


@pytest.mark.django_db
def test_a_public_report_read_signed_out_stays_cacheable(client, partnership_a, report_a):
    Partnership.objects.filter(pk=partnership_a.pk).update(reports_public=True)
    slug = partnership_a.slug
    for kind in ("detail", "pdf", "csv"):
        response = client.get(reverse(f"reports:{kind}", args=[slug, report_a.pk]))
        assert "Cache-Control" not in response, kind


@pytest.mark.django_db
def test_a_views_own_cache_control_stands(officer_a):
    def view(request):
        request.user.is_authenticated  # noqa: B018 (read, as a view does)
        response = HttpResponse()
        response["Cache-Control"] = "max-age=0"
        return response

    request = RequestFactory().get("/")
    request.user = officer_a
    request._cached_user = officer_a
    assert PrivateResponsesMiddleware(view)(request)["Cache-Control"] == "max-age=0"
