"""Server errors get a reference number: shown on the friendly page, written to the log with the traceback."""

import logging
import secrets

from django.utils import timezone

logger = logging.getLogger("shenbao.errors")


def new_reference() -> str:
    """E + date + six hex digits: short enough to read over the phone, unique enough to find one line."""
    return f"E{timezone.localtime():%Y%m%d}-{secrets.token_hex(3).upper()}"


def log_server_error(request, exc_info) -> str:
    """Log the exception being handled under a fresh reference number and return that number."""
    reference = new_reference()
    where = f"{request.method} {request.path}" if request is not None else "(no request)"
    user = getattr(getattr(request, "user", None), "pk", None)
    logger.error("服务器错误 %s: %s user=%s", reference, where, user, exc_info=exc_info)
    return reference
