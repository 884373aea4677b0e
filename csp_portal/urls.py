from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal admin"
admin.site.index_title = "Partnerships, people and data"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("csp_portal.core.urls")),
    path("", include("indicators.urls")),
    path("", include("actions.urls")),
    path("", include("commissioning.urls")),
    path("", include("reports.urls")),
    path("", include("opendata.urls")),
]
