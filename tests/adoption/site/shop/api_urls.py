from __future__ import annotations

from django.urls import path

from shop import api

urlpatterns = [
    path("orders/", api.OrderList.as_view(), name="api-orders"),
    path("me/", api.Me.as_view(), name="api-me"),
]
