"""Behind PROXY_COUNT reverse proxies, lockouts and the audit log record the browser's address, not the proxy's."""

import pytest
from django.test import RequestFactory

from audit.log import client_ip

NGINX = "10.0.0.10"


def address(settings, proxies, forwarded=None):
    settings.SHENBAO_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": NGINX}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_proxies_the_connection_is_the_client_whatever_the_header_says(settings):
    assert address(settings, 0, "198.51.100.9") == NGINX


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "203.0.113.7", "203.0.113.7"),  # nginx appended the browser's address
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # the browser's own header is not believed
        (2, "203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a load balancer, then nginx
        (2, "198.51.100.9, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, None, NGINX),  # reached without the proxy's header: only the connection is known
        (2, "203.0.113.7", NGINX),
    ],
)
def test_behind_proxies_the_address_they_vouch_for(settings, proxies, forwarded, client):
    assert address(settings, proxies, forwarded) == client
