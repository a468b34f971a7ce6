from django.urls import path

from . import views

app_name = "trash"

urlpatterns = [
    path("", views.TrashIndexView.as_view(), name="index"),
    path("<int:pk>/restore/", views.RestoreView.as_view(), name="restore"),
    path("<int:pk>/purge/", views.PurgeView.as_view(), name="purge"),
    path("empty/", views.EmptyTrashView.as_view(), name="empty"),
]
