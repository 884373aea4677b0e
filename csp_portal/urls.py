from django.contrib import admin
from django.urls import include, path

from csp_portal.core.passwords import (
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from csp_portal.core.signin import SignInView, SignOutView

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal admin"
admin.site.index_title = "Partnerships, people and data"

handler403 = "csp_portal.core.views.permission_denied"

urlpatterns = [
    # First, under its own prefix: the published report is the page most read (by panel
    # members and, where a partnership allows, the public). A URL resolved past includes at
    # "" pays for trying each of their patterns; one under a prefix is passed over at once.
    path("p/<slug:slug>/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    # Before Django's own, which the rest of accounts/ still are.
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("csp_portal.core.urls")),
    path("", include("indicators.urls")),
    path("", include("actions.urls")),
    path("", include("commissioning.urls")),
    path("", include("opendata.urls")),
]
