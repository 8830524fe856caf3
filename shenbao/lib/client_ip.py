"""The client's address behind PROXY_COUNT trusted reverse proxies, for django-axes and the audit log.

django-axes reads only REMOTE_ADDR unless told otherwise, which behind nginx is nginx's own address:
every failed login and audit entry would name the proxy. Each trusted proxy appends the address it
received the request from to X-Forwarded-For, so the entry PROXY_COUNT places from the right is the
client as the outermost proxy saw it; anything further left was sent by the client and may be invented.
"""

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.SHENBAO_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through every proxy: only the connection's own address is known
    return forwarded[-count]
