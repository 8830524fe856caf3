"""The QR code printed beside the verification code: it opens /verify/<code>/ on the platform."""

import io

import segno
from django.conf import settings


def verify_link(path):
    return settings.SHENBAO_SITE_URL.rstrip("/") + path


def qr_png(path):
    """PNG bytes of the QR code for `path`. Error correction M survives a stamp's edge or a crease."""
    buffer = io.BytesIO()
    segno.make(verify_link(path), error="m").save(buffer, kind="png", scale=6, border=1)
    return buffer.getvalue()


def qr_data_uri(path):
    return segno.make(verify_link(path), error="m").png_data_uri(scale=6, border=1)
