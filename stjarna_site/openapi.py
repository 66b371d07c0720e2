"""OpenAPI schema settings: the plain Django endpoints, described by hand.

drf-spectacular describes the DRF views (the management API, /api/v1/) from their code. The public
endpoints of SPEC §5 are plain Django views, lean on purpose (the warm menu path runs no query), so
they are described here, next to the shared error schema, and merged in by a postprocessing hook.
A path is published only when the URLconf really routes it, so the schema never promises an
endpoint this deployment does not have; a path drf-spectacular already describes is left alone.
"""

from __future__ import annotations

from typing import Any

from django.urls import Resolver404, resolve

ERROR = {"$ref": "#/components/schemas/Error"}
PRICE = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "example": "12.50"}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ERROR}},
    }
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
BLOCKED = _error("ip_blocked: the client IP is on the platform's block list")

COMPONENTS: dict[str, Any] = {
    "PublicItem": {
        "type": "object",
        "required": [
            "id",
            "name",
            "description",
            "price",
            "category",
            "allergens",
            "mayContain",
            "allergensDeclared",
            "tags",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "price": PRICE,
            "category": {"type": "string"},
            "allergens": {"type": "array", "items": {"type": "string"}},
            "mayContain": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Allergen codes of a “may contain traces of” statement",
            },
            "allergensDeclared": {
                "type": "boolean",
                "description": "Allergen information declared complete (empty allergens: "
                "free of all 14); false: unknown, never safe for an allergy",
            },
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    },
    "PublicRestaurant": {
        "type": "object",
        "required": [
            "id",
            "name",
            "currency",
            "locale",
            "greeting",
            "brandColor",
            "openingHours",
            "hoursNote",
            "timezone",
            "address",
            "phone",
        ],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "currency": {"type": "string", "example": "SEK"},
            "locale": {"type": "string", "example": "en"},
            "greeting": {"type": "string"},
            "brandColor": {"type": "string"},
            "openingHours": {
                "type": "string",
                "description": "OpenStreetMap opening_hours syntax; empty: not given",
                "example": "Mo-Th 11:00-22:00; Fr,Sa 11:00-23:00; Su 12:00-21:00; Dec 24 off",
            },
            "hoursNote": {"type": "string", "description": "Free text shown beside the hours"},
            "timezone": {"type": "string", "example": "Europe/Stockholm"},
            "address": {"type": "string"},
            "phone": {"type": "string"},
        },
    },
    "PublicMenu": {
        "type": "object",
        "required": ["restaurant", "features", "version", "items"],
        "properties": {
            "restaurant": {"$ref": "#/components/schemas/PublicRestaurant"},
            "features": {
                "type": "object",
                "required": ["serverChat"],
                "properties": {"serverChat": {"type": "boolean"}},
            },
            "version": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/PublicItem"}},
        },
    },
    "ChatRequest": {
        "type": "object",
        "required": ["restaurantId", "sessionToken", "message"],
        "properties": {
            "restaurantId": {"type": "string", "example": "demo"},
            "sessionToken": {
                "type": "string",
                "pattern": r"^[A-Za-z0-9_.\-]{1,128}$",
                "example": "s-1234",
            },
            "message": {"type": "string", "minLength": 1, "maxLength": 500, "example": "vegan?"},
        },
    },
    "ChatReply": {
        "type": "object",
        "required": ["reply", "items", "intent", "suggestions", "sessionToken"],
        "properties": {
            "reply": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/PublicItem"}},
            "intent": {"type": "string"},
            "suggestions": {"type": "array", "items": {"type": "string"}},
            "sessionToken": {"type": "string"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "checks", "version", "serverChat"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "degraded", "error"]},
            "checks": {
                "type": "object",
                "properties": {"database": {"type": "string"}, "cache": {"type": "string"}},
            },
            "version": {"type": "string"},
            "serverChat": {"type": "boolean"},
        },
    },
}

_MENU_OPERATION = {
    "tags": ["public"],
    "summary": "A restaurant's public menu (available items, in menu order)",
    "security": [],
    "parameters": [
        {
            "name": "restaurantId",
            "in": "query",
            "required": True,
            "schema": {"type": "string"},
            "example": "demo",
        },
        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
    ],
    "responses": {
        "200": {
            "description": "The menu; cached publicly (s-maxage, stale-while-revalidate).",
            "headers": {
                "ETag": {"schema": {"type": "string"}},
                "Cache-Control": {"schema": {"type": "string"}},
            },
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/PublicMenu"}}
            },
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        "400": _error("restaurant_id_required, or invalid_restaurant_id (not a slug ≤ 64)"),
        "403": BLOCKED,
        "404": _error("restaurant_not_found (also for inactive restaurants)"),
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/api/public/menu": {
        "get": {**_MENU_OPERATION, "operationId": "public_menu_read"},
        "head": {
            **_MENU_OPERATION,
            "operationId": "public_menu_head",
            "summary": "The menu's headers only",
            "responses": {
                code: {k: v for k, v in response.items() if k != "content"}
                for code, response in _MENU_OPERATION["responses"].items()
            },
        },
    },
    "/api/chat": {
        "post": {
            "operationId": "public_chat",
            "tags": ["public"],
            "summary": "Ask about the menu; the diner's message and the reply are stored",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}
                },
            },
            "responses": {
                "200": {
                    "description": "The answer and every item it is about",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ChatReply"}}
                    },
                },
                "400": _error("invalid_json or invalid_field (naming the field)"),
                "403": _error("origin_not_allowed, or ip_blocked"),
                "404": _error("restaurant_not_found"),
                "405": _error("method_not_allowed: only POST"),
                "413": _error("payload_too_large: the body is over 8 KiB"),
                "415": _error("unsupported_media_type: send application/json"),
                "429": _error("rate_limited, with retryAfter seconds", RETRY_AFTER),
                "503": _error(
                    "server_chat_disabled (USE_SERVER_CHAT=false) or temporarily_unavailable"
                ),
            },
        }
    },
    "/api/health": {
        "get": {
            "operationId": "health",
            "tags": ["operations"],
            "summary": "Database and cache checks for load balancers and operators",
            "security": [],
            "responses": {
                "200": {
                    "description": "ok, or degraded when the cache is down",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                    },
                },
                "503": {
                    "description": "The database check failed",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                    },
                },
            },
        }
    },
}


def _routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def add_plain_django_endpoints(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: merge the hand-written public endpoints."""
    paths = result.setdefault("paths", {})
    components = result.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in PATHS.items():
        if path in paths or not _routed(path):
            continue
        paths[path] = operations
    for name, schema in COMPONENTS.items():
        components.setdefault(name, schema)
    return result
