"""Keeps the current request where `audit.log.record()` can find it, so every entry carries the
user, IP and user agent even when its caller (a workflow transition, a notification) has no request."""

from contextvars import ContextVar

current_request = ContextVar("shenbao_current_request", default=None)


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
