from django.urls import include, path

from tests.project import views

urlpatterns = [
    path("", views.index),
    path("rt/", include("tests.runtime.urls")),
]
