from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("p/<slug:slug>/reports/", views.report_list, name="list"),
    path("p/<slug:slug>/reports/new/", views.report_create, name="create"),
    path("p/<slug:slug>/reports/<int:pk>/", views.report_detail, name="detail"),
    path(
        "p/<slug:slug>/reports/<int:pk>/versions/<int:number>/",
        views.report_detail,
        name="version",
    ),
    path("p/<slug:slug>/reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("p/<slug:slug>/reports/<int:pk>/preview/", views.report_preview, name="preview"),
    path("p/<slug:slug>/reports/<int:pk>/publish/", views.report_publish, name="publish"),
    path(
        "p/<slug:slug>/reports/<int:pk>/report.pdf",
        views.report_file,
        {"kind": "pdf"},
        name="pdf",
    ),
    path(
        "p/<slug:slug>/reports/<int:pk>/report.docx",
        views.report_file,
        {"kind": "docx"},
        name="docx",
    ),
    path(
        "p/<slug:slug>/reports/<int:pk>/report.csv",
        views.report_file,
        {"kind": "csv"},
        name="csv",
    ),
]
