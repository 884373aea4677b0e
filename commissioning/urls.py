from django.urls import path

from . import views

app_name = "commissioning"

urlpatterns = [
    path("p/<slug:slug>/commissioning/", views.plan_latest, name="plan_latest"),
    path("p/<slug:slug>/commissioning/<int:year>/", views.plan, name="plan"),
    path("p/<slug:slug>/commissioning/<int:year>/lines/new/", views.line_add, name="line_add"),
    path(
        "p/<slug:slug>/commissioning/<int:year>/streams/new/",
        views.stream_add,
        name="stream_add",
    ),
    path(
        "p/<slug:slug>/commissioning/<int:year>/copy-forward/",
        views.copy_forward,
        name="copy_forward",
    ),
    path("p/<slug:slug>/commissioning/lines/<int:pk>/", views.line_detail, name="line"),
    path("p/<slug:slug>/commissioning/lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path(
        "p/<slug:slug>/commissioning/lines/<int:pk>/remove/",
        views.line_remove,
        name="line_remove",
    ),
    path(
        "p/<slug:slug>/commissioning/lines/<int:pk>/updates/new/",
        views.update_add,
        name="update_add",
    ),
    path(
        "p/<slug:slug>/commissioning/lines/<int:pk>/updates/<int:update_pk>/edit/",
        views.update_edit,
        name="update_edit",
    ),
    path(
        "p/<slug:slug>/commissioning/lines/<int:pk>/updates/<int:update_pk>/remove/",
        views.update_remove,
        name="update_remove",
    ),
    path(
        "p/<slug:slug>/commissioning/streams/<int:pk>/edit/",
        views.stream_edit,
        name="stream_edit",
    ),
    path(
        "p/<slug:slug>/commissioning/streams/<int:pk>/remove/",
        views.stream_remove,
        name="stream_remove",
    ),
]
