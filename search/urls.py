"""The search page and its suggestions, under each language's prefix (/search/, /en/search/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search_suggest"),
]
