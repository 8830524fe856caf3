"""Start-up check: the key and certificate that sign the official PDFs (documents/signing.py) can be used.

Without them every official PDF fails (and downloads of submitted versions wait), so production refuses
to start (documents.E001) as it does for other unsafe settings; development only warns (documents.W001):
`make run` creates the demo pair with `manage.py make_signing_certificate`.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.checks import Error, Warning, register

from documents import signing

EXPIRY_WARNING = timedelta(days=30)
HINT = (
    "Set SHENBAO_SIGNING_KEY and SHENBAO_SIGNING_CERT to readable PEM files (docs/documents.md, "
    "正式 PDF); in development run `manage.py make_signing_certificate`."
)


@register()
def signing_material(app_configs, **kwargs):
    try:
        material = signing.load()
    except signing.SigningUnavailable as exc:
        if settings.PRODUCTION:
            return [Error(f"Official PDFs cannot be signed: {exc}", hint=HINT, id="documents.E001")]
        return [Warning(f"Official PDFs cannot be signed: {exc}", hint=HINT, id="documents.W001")]
    problems = []
    if settings.PRODUCTION and material.is_demo:
        problems.append(
            Error(
                f"The signing certificate is the demo one ({material.subject}).",
                hint="Install the department's own certificate; the demo pair is for development only.",
                id="documents.E002",
            )
        )
    left = material.certificate.not_valid_after_utc - datetime.now(UTC)
    if left < EXPIRY_WARNING:
        problems.append(
            Warning(
                f"The signing certificate expires on {material.certificate.not_valid_after_utc:%Y-%m-%d}.",
                hint="Renew it before then: an expired certificate stops every official PDF.",
                id="documents.W002",
            )
        )
    return problems
