from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("import/", views.import_upload, name="import_all"),
    path("p/<slug:slug>/indicators/", views.indicator_list, name="list"),
    path("p/<slug:slug>/indicators/<int:pk>/", views.indicator_detail, name="detail"),
    path("p/<slug:slug>/indicators/<int:pk>/year/<int:year>/", views.year_grid, name="year_grid"),
    path(
        "p/<slug:slug>/indicators/<int:pk>/target/<int:year>/",
        views.target_edit,
        name="target_edit",
    ),
    path(
        "p/<slug:slug>/indicators/<int:pk>/spc/",
        views.spc_settings_edit,
        name="spc_settings",
    ),
    path("p/<slug:slug>/figures/", views.month_sheet_latest, name="month_sheet_latest"),
    path("p/<slug:slug>/figures/<str:month>/", views.month_sheet, name="month_sheet"),
    path("p/<slug:slug>/import/", views.import_upload, name="import"),
    path("p/<slug:slug>/export.xlsx", views.export_workbook, name="export"),
    path("p/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path(
        "api/partnerships/<slug:slug>/comparisons",
        views.api_comparisons,
        name="api_comparisons",
    ),
]
