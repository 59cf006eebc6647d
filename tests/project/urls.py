from django.urls import path

from tests.project import views

urlpatterns = [
    path("", views.index),
]
