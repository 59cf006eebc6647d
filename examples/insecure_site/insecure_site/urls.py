"""URL configuration for insecure_site project."""

from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path('', views.home, name='home'),
    path('remember/', views.remember_me, name='remember'),
    path('admin/', admin.site.urls),
]
