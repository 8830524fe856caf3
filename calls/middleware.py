"""A version or call whose schema revision is missing is refused with a page that says so, never shown
with another revision in its place."""

import logging

from django.shortcuts import render

from calls.models import RevisionMissing

logger = logging.getLogger(__name__)


class RevisionMissingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RevisionMissing):
            return None
        logger.error("schema revision missing at %s: %s", request.path, exception)
        return render(request, "calls/revision_missing.html", {"reason": str(exception)}, status=500)
