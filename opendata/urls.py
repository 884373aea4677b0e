from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("p/<slug:slug>/police-uk/import/", views.upload, name="upload"),
    path("p/<slug:slug>/police-uk/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("p/<slug:slug>/police-uk/wards/", views.wards_upload, name="wards"),
    path("p/<slug:slug>/indicators/<int:pk>/hotspots/", views.hotspots, name="hotspots"),
]
