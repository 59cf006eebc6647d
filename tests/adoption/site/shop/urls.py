from __future__ import annotations

from django.urls import path

from shop import views

urlpatterns = [
    path("", views.home, name="home"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("account/", views.account, name="account"),
    path("whoami/", views.whoami, name="whoami"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart-add"),
    path("cart/clear/", views.cart_clear, name="cart-clear"),
    path("theme/", views.theme, name="theme"),
    path("theme/set/", views.theme_set, name="theme-set"),
    path("promo/", views.promo, name="promo"),
    path("promo/<slug:code>/", views.promo_apply, name="promo-apply"),
    path("theme/reset/", views.theme_reset, name="theme-reset"),
]
