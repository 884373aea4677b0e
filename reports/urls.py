from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path(
        "<int:pk>/versions/<int:number>/",
        views.report_detail,
        name="version",
    ),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/preview/", views.report_preview, name="preview"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path(
        "<int:pk>/report.pdf",
        views.report_file,
        {"kind": "pdf"},
        name="pdf",
    ),
    path(
        "<int:pk>/report.docx",
        views.report_file,
        {"kind": "docx"},
        name="docx",
    ),
    path(
        "<int:pk>/report.csv",
        views.report_file,
        {"kind": "csv"},
        name="csv",
    ),
]
