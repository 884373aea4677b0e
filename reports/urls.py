from django.urls import path, register_converter
from django.urls.converters import IntConverter

from . import views


class IdConverter(IntConverter):
    """A report id or version number: one too long for the database's integers (SQLite
    raised OverflowError) is no page, a 404."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "report_id")

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<report_id:pk>/", views.report_detail, name="detail"),
    path(
        "<report_id:pk>/versions/<report_id:number>/",
        views.report_detail,
        name="version",
    ),
    path("<report_id:pk>/edit/", views.report_edit, name="edit"),
    path("<report_id:pk>/preview/", views.report_preview, name="preview"),
    path("<report_id:pk>/publish/", views.report_publish, name="publish"),
    path(
        "<report_id:pk>/report.pdf",
        views.report_file,
        {"kind": "pdf"},
        name="pdf",
    ),
    path(
        "<report_id:pk>/report.docx",
        views.report_file,
        {"kind": "docx"},
        name="docx",
    ),
    path(
        "<report_id:pk>/report.csv",
        views.report_file,
        {"kind": "csv"},
        name="csv",
    ),
]
