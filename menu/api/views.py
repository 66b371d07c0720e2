"""Views of the management API: parse, call one service or selector, shape the answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from menu.api.authentication import (
    ApiKeyAuthentication,
    ApiKeyRateThrottle,
    HasApiKey,
    management_exception_handler,
)
from menu.api.serializers import (
    AvailabilitySerializer,
    ErrorSerializer,
    ItemInputSerializer,
    ManagedItemSerializer,
    ManagedMenuSerializer,
    MenuInputSerializer,
    MenuReplacedSerializer,
    issue_dicts,
)
from menu.importing import JSON_NAMES, validate_item_fields, validate_menu_document
from menu.models import MenuItem
from menu.services import (
    DuplicateItemName,
    menu_item_create,
    menu_item_delete,
    menu_item_set_availability,
    menu_item_update,
    menu_replace,
)
from tenants.models import Restaurant

MAX_ID = 2**63 - 1
# Omitted fields of a create/replace (allergens_declared comes from the validator's rule).
ITEM_DEFAULTS = {
    "description": "",
    "category": "",
    "allergens": (),
    "may_contain": (),
    "tags": (),
    "available": True,
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    descriptions = {
        400: "invalid_json, invalid_field or invalid_menu (with rows)",
        401: "not_authenticated (no key) or invalid_api_key (malformed, unknown, revoked)",
        404: "not_found: no such item on this restaurant's menu",
        409: "duplicate_name: another item already has this name",
        415: "unsupported_media_type: send application/json",
        429: "rate_limited: per-key limit; Retry-After header and retryAfter in the body",
    }
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions[code]) for code in codes
    }


def error(code: str, message: str, http_status: int, **extra: Any) -> Response:
    return Response({"error": {"code": code, "message": message, **extra}}, status=http_status)


def field_error(issues: list) -> Response:
    first = issues[0]
    message = f"{first.field}: {first.message}" if first.field else first.message
    return error("invalid_field", message, 400, field=first.field)


def model_error(exc: ValidationError) -> Response:
    """A service's refusal of the item as a whole (e.g. a PATCH of allergens that contradicts
    the stored diet tags), named by the API's field."""
    field, messages = next(iter(exc.message_dict.items()))
    field = JSON_NAMES.get(field, field)
    return error("invalid_field", f"{field}: {' '.join(messages)}", 400, field=field)


class ManagementAPIView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    throttle_classes = [ApiKeyRateThrottle]

    def get_exception_handler(self):
        return management_exception_handler

    @property
    def restaurant(self) -> Restaurant:
        return self.request.auth.restaurant

    def get_item(self, pk: int) -> MenuItem:
        """The item ``pk`` of the key's restaurant; another tenant's item is simply not found."""
        item = None
        if 0 < pk <= MAX_ID:
            item = MenuItem.objects.filter(restaurant=self.restaurant, pk=pk).first()
        if item is None:
            raise NotFound()
        return item

    def menu_payload(self) -> dict[str, Any]:
        restaurant = self.restaurant
        restaurant.refresh_from_db(fields=["menu_version"])
        items = MenuItem.objects.filter(restaurant=restaurant).order_by("position", "id")
        return ManagedMenuSerializer(
            {"restaurant": restaurant, "version": restaurant.menu_version, "items": items}
        ).data


@extend_schema(tags=["management"])
class MenuView(ManagementAPIView):
    @extend_schema(
        operation_id="management_menu_read",
        summary="The whole menu, unavailable items included, in menu order",
        responses={200: ManagedMenuSerializer, **_errors(401, 429)},
    )
    def get(self, request: Request) -> Response:
        return Response(self.menu_payload())

    @extend_schema(
        operation_id="management_menu_replace",
        summary="Replace the whole menu in one atomic write",
        description=(
            "The menu becomes exactly `items`, in that order. Items are matched by name "
            "(case-insensitive): matched items keep their id, others are created or deleted. "
            "Validation is the importer's: every problem is reported in `error.rows` and "
            "nothing is written unless all items are valid. Diet words in `allergens` are "
            "moved to `tags` and reported in `warnings`."
        ),
        request=MenuInputSerializer,
        responses={200: MenuReplacedSerializer, **_errors(400, 401, 415, 429)},
    )
    def put(self, request: Request) -> Response:
        report = validate_menu_document(request.data)
        if not report.ok:
            return error(
                "invalid_menu",
                f"{len(report.errors)} problem(s) in the menu; nothing was changed.",
                400,
                rows=issue_dicts(report.errors),
            )
        changes = menu_replace(restaurant=self.restaurant, rows=report.rows)
        counts = {
            "created": len(changes.created),
            "updated": len(changes.updated),
            "deleted": len(changes.deleted),
            "unchanged": changes.unchanged,
        }
        body = {**self.menu_payload(), "changes": counts, "warnings": issue_dicts(report.warnings)}
        return Response(body)


@extend_schema(tags=["management"])
class ItemCollectionView(ManagementAPIView):
    @extend_schema(
        operation_id="management_item_create",
        summary="Add one item (at the end of the menu unless position is given)",
        request=ItemInputSerializer,
        responses={201: ManagedItemSerializer, **_errors(400, 401, 409, 415, 429)},
    )
    def post(self, request: Request) -> Response:
        fields, errors, _ = validate_item_fields(request.data)
        if errors:
            return field_error(errors)
        try:
            item = menu_item_create(restaurant=self.restaurant, **{**ITEM_DEFAULTS, **fields})
        except DuplicateItemName as exc:
            return error("duplicate_name", str(exc), 409, field="name")
        except ValidationError as exc:
            return model_error(exc)
        return Response(ManagedItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["management"])
class ItemView(ManagementAPIView):
    @extend_schema(
        operation_id="management_item_read",
        summary="One item",
        responses={200: ManagedItemSerializer, **_errors(401, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ManagedItemSerializer(self.get_item(pk)).data)

    @extend_schema(
        operation_id="management_item_replace",
        summary="Replace one item (omitted optional fields take their defaults)",
        request=ItemInputSerializer,
        responses={200: ManagedItemSerializer, **_errors(400, 401, 404, 409, 415, 429)},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="management_item_update",
        summary='Change some fields of one item, e.g. {"available": false}',
        request=ItemInputSerializer(partial=True),
        responses={200: ManagedItemSerializer, **_errors(400, 401, 404, 409, 415, 429)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(
        operation_id="management_item_delete",
        summary="Delete one item",
        responses={204: None, **_errors(401, 404, 429)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        menu_item_delete(item=self.get_item(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        item = self.get_item(pk)
        fields, errors, _ = validate_item_fields(request.data, partial=partial)
        if errors:
            return field_error(errors)
        if not partial:
            fields = {**ITEM_DEFAULTS, **fields}
        try:
            item = menu_item_update(item=item, **fields)
        except DuplicateItemName as exc:
            return error("duplicate_name", str(exc), 409, field="name")
        except ValidationError as exc:
            return model_error(exc)
        return Response(ManagedItemSerializer(item).data)


@extend_schema(tags=["management"])
class ItemAvailabilityView(ManagementAPIView):
    @extend_schema(
        operation_id="management_item_availability",
        summary='Mark a dish sold out (or back): {"available": false}',
        request=AvailabilitySerializer,
        responses={200: ManagedItemSerializer, **_errors(400, 401, 404, 415, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.get_item(pk)
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("available"), bool):
            return error(
                "invalid_field", "available: Must be true or false.", 400, field="available"
            )
        if set(data) - {"available"}:
            extra = sorted(set(data) - {"available"})[0]
            return error("invalid_field", f"{extra}: Unknown field.", 400, field=extra)
        item = menu_item_set_availability(item=item, available=data["available"])
        return Response(ManagedItemSerializer(item).data)
