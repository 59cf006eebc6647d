"""The REST API: the signed-in user's orders, behind DRF's SessionAuthentication."""

from __future__ import annotations

from typing import Any

from rest_framework import generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.models import Order


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "item", "quantity"]


class OrderList(generics.ListCreateAPIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer

    def get_queryset(self) -> Any:
        return Order.objects.filter(owner=self.request.user)

    def perform_create(self, serializer: OrderSerializer) -> None:
        serializer.save(owner=self.request.user)


class Me(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"username": request.user.get_username()})
