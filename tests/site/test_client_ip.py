import pytest
from django.test import RequestFactory

from stjarna_site.client_ip import UNKNOWN_IP, client_ip


@pytest.mark.parametrize(
    ("hops", "xff", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no trusted proxy: a forged header is ignored
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # one proxy appended the real client
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than trusted: fall back to the peer
        (1, "not-an-ip", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxy_hops(settings, hops, xff, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def test_client_ip_without_remote_addr_is_a_stable_placeholder():
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) == UNKNOWN_IP
