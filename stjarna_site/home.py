"""The owner's home: each of the user's restaurants at a glance on the admin index.

Reads only (tenants, menu and chat selectors), for restaurant staff; operators see the usual index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from chat.selectors import AskedQuestion, chats_per_day, top_questions, top_unanswered_questions
from menu.selectors import MenuDataStatus, menu_data_status
from tenants.models import Membership, Restaurant
from tenants.scoping import is_operator
from tenants.selectors import embed_snippet_for, restaurants_for_user

HOME_RESTAURANTS = 5  # more than this and the index links to the list instead
CHART_DAYS = 14
CHART_WIDTH, CHART_HEIGHT = 280, 60


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    width: int
    height: int
    day: date
    count: int


@dataclass
class RestaurantHome:
    restaurant: Restaurant
    is_owner: bool
    change_url: str
    invite_url: str
    embed_snippet: str
    websites: list[str]
    top_questions: list[AskedQuestion]
    unanswered: list[AskedQuestion]
    menu_status: MenuDataStatus | None = None
    chart: list[ChartBar] = field(default_factory=list)
    chats_total: int = 0


def chart_bars(counts: list[tuple[date, int]]) -> list[ChartBar]:
    """Bars for a small inline SVG chart of ``counts`` (the tallest day fills the height)."""
    if not counts:
        return []
    peak = max(count for _, count in counts) or 1
    slot = CHART_WIDTH // len(counts)
    bars = []
    for index, (day, count) in enumerate(counts):
        height = round(count / peak * (CHART_HEIGHT - 2)) if count else 0
        bars.append(
            ChartBar(
                x=index * slot + 1,
                y=CHART_HEIGHT - max(height, 1),
                width=slot - 2,
                height=max(height, 1),  # a hairline for an empty day, so the axis reads
                day=day,
                count=count,
            )
        )
    return bars


def restaurant_homes(*, request: HttpRequest) -> list[RestaurantHome]:
    """The home sections for the user's restaurants (none for operators)."""
    if is_operator(request) or not request.user.is_active:
        return []
    restaurants = restaurants_for_user(request.user).prefetch_related("allowed_origins")
    owned = set(
        Membership.objects.filter(user=request.user, role=Membership.Role.OWNER).values_list(
            "restaurant_id", flat=True
        )
    )
    week_ago = timezone.now() - timedelta(days=7)
    homes = []
    for restaurant in restaurants[:HOME_RESTAURANTS]:
        today = timezone.localtime(timezone=ZoneInfo(restaurant.timezone or "UTC")).date()
        days = chats_per_day(restaurant=restaurant, days=CHART_DAYS, today=today)
        homes.append(
            RestaurantHome(
                restaurant=restaurant,
                is_owner=restaurant.pk in owned,
                change_url=reverse("admin:tenants_restaurant_change", args=[restaurant.pk]),
                invite_url=reverse("admin:invite_member", args=[restaurant.pk]),
                embed_snippet=embed_snippet_for(restaurant),
                websites=[origin.origin for origin in restaurant.allowed_origins.all()],
                top_questions=top_questions(restaurant=restaurant, since=week_ago, limit=5),
                unanswered=top_unanswered_questions(restaurant=restaurant, since=week_ago, limit=5),
                menu_status=menu_data_status(restaurant),
                chart=chart_bars(days),
                chats_total=sum(count for _, count in days),
            )
        )
    return homes
