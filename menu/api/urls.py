"""/api/v1/: the management API (Authorization: Bearer <key>)."""

from django.urls import path

from menu.api import views

urlpatterns = [
    path("menu", views.MenuView.as_view(), name="api-v1-menu"),
    path("items", views.ItemCollectionView.as_view(), name="api-v1-items"),
    path("items/<int:pk>", views.ItemView.as_view(), name="api-v1-item"),
    path(
        "items/<int:pk>/availability",
        views.ItemAvailabilityView.as_view(),
        name="api-v1-item-availability",
    ),
]
