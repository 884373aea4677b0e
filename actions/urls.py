from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("p/<slug:slug>/actions/", views.plans, name="plans"),
    path("p/<slug:slug>/actions/plans/new/", views.plan_create, name="plan_create"),
    path("p/<slug:slug>/actions/plans/<int:pk>/", views.plan, name="plan"),
    path("p/<slug:slug>/actions/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("p/<slug:slug>/actions/plans/<int:pk>/remove/", views.plan_remove, name="plan_remove"),
    path(
        "p/<slug:slug>/actions/plans/<int:pk>/objectives/new/",
        views.objective_create,
        name="objective_create",
    ),
    path(
        "p/<slug:slug>/actions/objectives/<int:pk>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "p/<slug:slug>/actions/objectives/<int:pk>/remove/",
        views.objective_remove,
        name="objective_remove",
    ),
    path("p/<slug:slug>/actions/plans/<int:pk>/new/", views.action_create, name="action_create"),
    path("p/<slug:slug>/actions/<int:pk>/", views.action_detail, name="action"),
    path("p/<slug:slug>/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("p/<slug:slug>/actions/<int:pk>/remove/", views.action_remove, name="action_remove"),
    path("p/<slug:slug>/risks/", views.risks, name="risks"),
    path("p/<slug:slug>/risks/matrix/", views.risk_matrix, name="risk_matrix"),
    path("p/<slug:slug>/risks/new/", views.risk_edit, name="risk_create"),
    path("p/<slug:slug>/risks/<int:pk>/", views.risk_edit, name="risk_edit"),
    path("p/<slug:slug>/risks/<int:pk>/remove/", views.risk_remove, name="risk_remove"),
    path("p/<slug:slug>/cross-theme-issues/", views.issues, name="issues"),
    path("p/<slug:slug>/cross-theme-issues/new/", views.issue_edit, name="issue_create"),
    path("p/<slug:slug>/cross-theme-issues/<int:pk>/", views.issue_edit, name="issue_edit"),
    path(
        "p/<slug:slug>/cross-theme-issues/<int:pk>/remove/",
        views.issue_remove,
        name="issue_remove",
    ),
    path("p/<slug:slug>/recommendations/", views.recommendations, name="recommendations"),
    path("p/<slug:slug>/recommendations/follow-up/", views.follow_up, name="follow_up"),
    path(
        "p/<slug:slug>/recommendations/new/",
        views.recommendation_edit,
        name="recommendation_create",
    ),
    path(
        "p/<slug:slug>/recommendations/<int:pk>/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "p/<slug:slug>/recommendations/<int:pk>/remove/",
        views.recommendation_remove,
        name="recommendation_remove",
    ),
]
