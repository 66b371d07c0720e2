"""Diner conversations, read-only, scoped per tenant."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from chat.models import ChatMessage, ChatSession
from chat.selectors import unanswered_questions
from tenants.scoping import (
    ReadOnlyAdminMixin,
    TenantScopedAdminMixin,
    TenantScopedInlineMixin,
    restaurant_filter,
)


class ChatMessageInline(ReadOnlyAdminMixin, TenantScopedInlineMixin, admin.TabularInline):
    model = ChatMessage
    parent_tenant_path = "restaurant"
    fields = ["created_at", "role", "text", "intent", "answered", "item_ids"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ChatSession)
class ChatSessionAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """Conversations, each named by the diner's first question and when it began (not by token),
    newest first and browsable by day."""

    list_display = ["conversation", "restaurant", "first_seen", "message_count", "unanswered"]
    list_display_links = ["conversation"]
    list_filter = [restaurant_filter("restaurant")]
    search_fields = ["token", "messages__text"]
    readonly_fields = ["restaurant", "token", "first_seen", "last_seen"]
    exclude = ["ip_hash"]
    inlines = [ChatMessageInline]
    list_select_related = ["restaurant"]
    date_hierarchy = "first_seen"
    ordering = ["-first_seen", "-id"]
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        diner = ChatMessage.objects.filter(
            session=OuterRef("pk"), role=ChatMessage.Role.DINER
        ).order_by("created_at", "id")
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_question=Subquery(diner.values("text")[:1]),
                messages_count=Count("messages", distinct=True),
                unanswered_count=Count(
                    "messages",
                    filter=Q(messages__role=ChatMessage.Role.DINER, messages__answered=False),
                    distinct=True,
                ),
            )
        )

    @admin.display(description="Conversation", ordering="first_question")
    def conversation(self, obj: ChatSession) -> str:
        question = (obj.first_question or "").strip()
        if not question:
            return "(no question)"
        return question if len(question) <= 80 else f"{question[:79]}…"

    @admin.display(description="Messages", ordering="messages_count")
    def message_count(self, obj: ChatSession) -> int:
        return obj.messages_count

    @admin.display(description="Not understood", ordering="unanswered_count")
    def unanswered(self, obj: ChatSession) -> int:
        return obj.unanswered_count


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    tenant_path = "session__restaurant"
    list_display = ["created_at", "restaurant", "role", "text", "intent", "answered"]
    list_filter = [restaurant_filter("session__restaurant"), "role", "answered", "intent"]
    search_fields = ["text"]
    readonly_fields = ["session", "role", "text", "intent", "item_ids", "answered", "created_at"]
    list_select_related = ["session__restaurant"]
    change_list_template = "admin/chat/chatmessage/change_list.html"

    def get_urls(self) -> list:
        report = path(
            "unanswered/",
            self.admin_site.admin_view(self.unanswered_view),
            name="chat_chatmessage_unanswered",
        )
        return [report, *super().get_urls()]

    def unanswered_view(self, request: HttpRequest) -> HttpResponse:
        """Questions diners asked that the engine could not answer, most frequent first.

        Built on this admin's queryset, so staff see only their restaurants' questions and
        operators see all; the restaurant filter narrows it further.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        messages = self.get_queryset(request)
        restaurant_pk = request.GET.get("restaurant", "")
        if restaurant_pk.isdigit():
            messages = messages.filter(session__restaurant__pk=restaurant_pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Unanswered questions",
            "opts": self.model._meta,
            "questions": unanswered_questions(messages),
            "restaurant_filter": restaurant_pk,
        }
        return TemplateResponse(request, "admin/chat/chatmessage/unanswered.html", context)

    @admin.display(description="Restaurant")
    def restaurant(self, obj: ChatMessage) -> str:
        return obj.session.restaurant.name
