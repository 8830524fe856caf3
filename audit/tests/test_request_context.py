"""Every entry carries who, from where and with what browser, even when the code that records it
(a workflow transition, a service function) was given no request: audit.middleware supplies it."""

import pytest
from django.urls import reverse

from audit.log import record
from audit.middleware import current_request
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 盟市办公室"


def test_a_transition_made_through_a_view_records_the_address_and_browser(client, media, call, bureau):
    from tests import factories

    app = factories.submitted_application("150200")
    client.force_login(bureau)
    response = client.post(
        reverse("reviews:return", args=[app.pk]),
        {"reason": "请补充材料"},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="transition").order_by("-seq").first()
    assert entry.detail["code"] == "bureau_return"
    assert (entry.user, entry.role, entry.ip, entry.user_agent) == (bureau, "bureau", "10.1.2.3", BROWSER)


def test_a_record_outside_any_request_has_no_address(applicant):
    entry = record("export", user=applicant)
    assert (entry.ip, entry.user_agent) == ("", "")


def test_the_request_is_forgotten_when_the_response_is_done(client, applicant):
    client.force_login(applicant)
    client.get(reverse("portal:home"))
    assert current_request.get() is None


def test_the_signed_in_user_is_filled_in_when_the_caller_names_none(rf, applicant):
    request = rf.get("/", HTTP_USER_AGENT=BROWSER)
    request.user = applicant
    token = current_request.set(request)
    try:
        entry = record("export")
    finally:
        current_request.reset(token)
    assert (entry.user, entry.role, entry.ip, entry.user_agent) == (applicant, "applicant", "127.0.0.1", BROWSER)
