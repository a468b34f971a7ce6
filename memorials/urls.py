"""Open data URLs, included by the site's urls.py under /api/ (no language prefix)."""

from django.urls import path

from . import views

urlpatterns = [
    path("memorials.geojson", views.memorials_geojson, name="memorials_geojson"),
    path("memorials.csv", views.memorials_csv, name="memorials_csv"),
    path("heroes.csv", views.heroes_csv, name="heroes_csv"),
]
