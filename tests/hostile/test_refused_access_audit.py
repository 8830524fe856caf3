"""Every refused access is an audit entry (拒绝访问), through the real pages, and a flood of them is folded.

Each kind — an object outside one's scope (answered with the very 404 a missing one gets), a 403, a CSRF
failure, a refused workflow step, a refused upload, a page that does not exist — is recorded with the
user, role, address, browser, URL, object, result and reason (audit/refusals.py). Repeats of one
refusal inside the window are counted into the next entry; past the per-source ceiling one flood
entry stands for the rest of the window. The chain still verifies, and only the 审计管理员 lists them.
"""

import re
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from applications.models import Attachment
from audit import chain, refusals
from audit.models import AuditEntry, Result
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) 申报测试浏览器"
ADDRESS = "10.20.30.40"
SLOT = "other_evidence"
EXE_AS_PDF = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def refusal_entries():
    return list(AuditEntry.objects.filter(action=refusals.ACTION).order_by("seq"))


def only_refusal():
    entries = refusal_entries()
    assert len(entries) == 1, [(e.seq, e.detail) for e in entries]
    return entries[0]


def assert_entry(entry, *, user, kind, path, object_type="", object_id="", reason=None, method="GET"):
    """The fields 等保 asks of a refused access: who (user, role), from where (IP, browser), what (URL,
    object), with what result and why."""
    assert entry.action == "access_refused"
    assert entry.result == Result.REFUSED
    assert entry.user == user
    assert entry.username == (user.username if user else "")
    assert entry.role == (user.role if user else "")
    assert (entry.ip, entry.user_agent) == (ADDRESS, BROWSER)
    assert (entry.object_type, entry.object_id) == (object_type, str(object_id))
    assert entry.detail["refusal"] == kind
    assert entry.detail["method"] == method
    assert entry.detail["path"] == path
    assert entry.detail["reason"] == (refusals.REASONS[kind] if reason is None else reason)


def normalised(content):
    """A page without its per-response CSRF token, which differs between any two renderings."""
    return CSRF_INPUT.sub(b"", content)


@pytest.fixture
def other_applicant(db):
    """An approved applicant of another organisation in another 盟市 (通辽)."""
    return factories.user(Role.APPLICANT, organisation_obj=factories.organisation("150500"))


@pytest.fixture
def attachment(draft, applicant, media):
    from applications.attachments import add_attachment
    from applications.demo import demo_pdf

    return add_attachment(draft, SLOT, SimpleUploadedFile("内部资料-合同.pdf", demo_pdf("evidence")), applicant)


@pytest.fixture
def cache_clock(monkeypatch):
    """The clock by which the cache (locmem in tests, Redis in production) expires keys, moved by hand:
    `cache_clock(601)` is ten minutes and a second later, for every key the refusals keep."""
    assert isinstance(caches["default"], locmem.LocMemCache), "these tests move the clock of the locmem cache"
    now = [time.time()]
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: now[0]))

    def advance(seconds):
        now[0] += seconds

    return advance


# --- Each kind, through the real views ---


def test_another_organisations_attachment_is_the_same_404_as_a_missing_one_and_recorded_out_of_scope(
    client, other_applicant, attachment
):
    client.force_login(other_applicant)
    url = reverse("applications:download", args=[attachment.pk])
    refused = client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)
    missing_url = reverse("applications:download", args=[attachment.pk + 1000])
    missing = client.get(missing_url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)

    assert refused.status_code == missing.status_code == 404
    assert normalised(refused.content) == normalised(missing.content)
    assert refused["Content-Type"] == missing["Content-Type"]
    out_of_scope, not_found = refusal_entries()
    assert_entry(
        out_of_scope,
        user=other_applicant,
        kind=refusals.OUT_OF_SCOPE,
        path=url,
        object_type="attachment",
        object_id=attachment.pk,
    )
    assert_entry(not_found, user=other_applicant, kind=refusals.NOT_FOUND, path=missing_url)
    # The file name the owner gave is nowhere in what the audit log keeps.
    assert "内部资料" not in str(out_of_scope.detail) + out_of_scope.object_repr


def test_another_organisations_application_is_the_same_404_as_a_missing_one_and_recorded_out_of_scope(
    client, other_applicant, draft
):
    client.force_login(other_applicant)
    url = reverse("applications:overview", args=[draft.pk])
    refused = client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)
    missing = client.get(
        reverse("applications:overview", args=[draft.pk + 1000]), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS
    )

    assert refused.status_code == missing.status_code == 404
    assert normalised(refused.content) == normalised(missing.content)
    entry = refusal_entries()[0]
    assert_entry(
        entry,
        user=other_applicant,
        kind=refusals.OUT_OF_SCOPE,
        path=url,
        object_type="application",
        object_id=draft.pk,
    )
    assert refusal_entries()[1].detail["refusal"] == refusals.NOT_FOUND


def test_an_expert_opening_the_officials_review_page_is_recorded_out_of_scope(client, call, media):
    app = factories.submitted_application("150200")
    expert = factories.user(Role.EXPERT)
    client.force_login(expert)
    url = reverse("reviews:detail", args=[app.pk])
    assert client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS).status_code == 404
    assert_entry(
        only_refusal(),
        user=expert,
        kind=refusals.OUT_OF_SCOPE,
        path=url,
        object_type="application",
        object_id=app.pk,
    )


def test_the_system_admin_resetting_an_operators_password_is_a_recorded_403(client):
    sysadmin = factories.user(Role.SYSTEM_ADMIN)
    auditor = factories.user(Role.AUDIT_ADMIN)
    client.force_login(sysadmin)
    url = reverse("accounts:account_action", args=[auditor.pk, "reset-password"])

    response = client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 403
    assert "三员分立" in response.content.decode()
    entry = only_refusal()
    assert_entry(
        entry,
        user=sysadmin,
        kind=refusals.FORBIDDEN,
        path=url,
        method="POST",
        object_type="user",
        object_id=auditor.pk,
        reason="三员分立：系统管理员不能操作管理员账号。",
    )
    assert (entry.detail["status"], entry.detail["view"]) == (403, "accounts:account_action")


def test_a_post_without_its_csrf_token_is_recorded_once_with_djangos_reason_as_a_code(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    client.get(reverse("applications:check", args=[draft.pk]))  # the page sets the CSRF cookie
    url = reverse("applications:submit", args=[draft.pk])

    response = client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 403
    assert "页面已失效" in response.content.decode()
    entry = only_refusal()  # the view recorded it; the middleware did not record the 403 again
    assert_entry(
        entry,
        user=applicant,
        kind=refusals.CSRF,
        path=url,
        method="POST",
        reason=refusals.CSRF_REASONS["token_missing"],
    )
    assert entry.detail["code"] == "token_missing"


def test_a_csrf_failure_from_a_foreign_origin_records_the_code_not_the_origin_sent(applicant, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)
    client.get(reverse("applications:check", args=[draft.pk]))
    token = client.cookies["csrftoken"].value
    url = reverse("applications:submit", args=[draft.pk])

    response = client.post(
        url,
        {"csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example<script>",
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=ADDRESS,
    )

    assert response.status_code == 403
    entry = only_refusal()
    assert entry.detail["code"] == "bad_origin"
    assert "evil" not in str(entry.detail)


def test_an_incomplete_draft_refused_at_submission_is_recorded_as_a_refused_workflow_step(client, applicant, draft):
    client.force_login(applicant)
    url = reverse("applications:submit", args=[draft.pk])

    response = client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302 and response["Location"] == reverse("applications:check", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.versions.count() == 0
    entry = only_refusal()
    assert_entry(
        entry,
        user=applicant,
        kind=refusals.WORKFLOW,
        path=url,
        method="POST",
        object_type="application",
        object_id=draft.pk,
    )
    assert entry.detail["step"] == "submit"


def test_an_exe_renamed_pdf_is_a_refused_upload_recorded_by_slot_size_and_content_never_by_name(
    client, applicant, draft, media
):
    client.force_login(applicant)
    url = reverse("applications:upload", args=[draft.pk, SLOT])

    response = client.post(
        url,
        {"file": SimpleUploadedFile("绝密报告.pdf", EXE_AS_PDF)},
        HTTP_HX_REQUEST="true",
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=ADDRESS,
    )

    assert response.status_code == 200
    assert "绝密报告.pdf" in response.content.decode()  # the applicant is told which file, beside the field
    assert not Attachment.objects.filter(application=draft).exists()
    entry = only_refusal()
    assert_entry(
        entry,
        user=applicant,
        kind=refusals.UPLOAD,
        path=url,
        method="POST",
        object_type="application",
        object_id=draft.pk,
    )
    assert (entry.detail["slot"], entry.detail["size"]) == (SLOT, len(EXE_AS_PDF))
    assert entry.detail["content"] == "Windows 可执行程序（EXE）"
    assert "绝密报告" not in str(entry.detail) + entry.object_repr


def test_an_anonymous_visitors_404_is_recorded_by_address_with_the_query_names(client):
    response = client.get("/wp-admin/setup.php?step=1", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 404
    assert_entry(only_refusal(), user=None, kind=refusals.NOT_FOUND, path="/wp-admin/setup.php?step=…")


def test_a_get_on_a_post_only_address_is_a_recorded_405(client, applicant, draft):
    client.force_login(applicant)
    url = reverse("applications:submit", args=[draft.pk])
    assert client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=ADDRESS).status_code == 405
    entry = only_refusal()
    assert_entry(entry, user=applicant, kind=refusals.METHOD, path=url)
    assert entry.detail["allowed"] == "POST"


class Untouchable:
    """Stands in for the refusals' cache and record(): any use on a served page fails the test."""

    def __init__(self):
        self.used = []

    def __getattr__(self, name):
        self.used.append(name)
        raise AssertionError(f"refusals used {name} on a page that was served")

    def __call__(self, *args, **kwargs):
        self.used.append("record")
        raise AssertionError("refusals recorded a page that was served")


def test_pages_served_and_redirects_cost_the_refusals_nothing(client, applicant, draft, monkeypatch):
    cache, record = Untouchable(), Untouchable()
    monkeypatch.setattr(refusals, "cache", cache)
    monkeypatch.setattr(refusals, "record", record)
    client.force_login(applicant)
    assert client.get(reverse("applications:overview", args=[draft.pk])).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("reviews:detail", args=[draft.pk])).status_code == 302  # to the applicant's page
    assert client.get("/applications/").status_code == 404
    assert (cache.used, record.used) == (["get"], [])  # only the 404 reached the refusals


def test_a_served_page_between_refusals_writes_nothing(client, applicant, draft):
    client.force_login(applicant)
    assert client.get(reverse("applications:overview", args=[draft.pk])).status_code == 200
    assert client.get(reverse("audit:list")).status_code == 403  # the one refusal
    assert client.get(reverse("portal:home")).status_code == 200
    assert [e.detail["refusal"] for e in refusal_entries()] == [refusals.FORBIDDEN]


def test_stored_strings_are_bounded(client):
    long_path = "/" + "a" * 2000 + "?" + "q=" + "字" * 2000
    client.get(long_path, HTTP_USER_AGENT="U" * 1000, REMOTE_ADDR=ADDRESS)
    entry = only_refusal()
    assert len(entry.detail["path"]) == refusals.PATH_MAX
    assert len(entry.user_agent) == 300


def test_the_query_is_kept_by_its_names_only_so_a_searched_name_never_reaches_the_log(client):
    client.get("/no-such-page/?name=绝密稀土集群&call=7&name=又一个", REMOTE_ADDR=ADDRESS)
    entry = only_refusal()
    assert entry.detail["path"] == "/no-such-page/?name=…&call=…"
    assert "绝密" not in str(entry.detail)


# --- Folding repeats, and the ceiling per source ---


def refuse(client, path, address=ADDRESS):
    assert client.get(path, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=address).status_code == 404


def test_repeats_inside_the_window_are_one_entry_and_the_next_window_carries_their_count(client, cache_clock, settings):
    settings.SHENBAO_AUDIT_REFUSAL_WINDOW = 600
    for n in range(7):
        refuse(client, f"/no-such-page/?try={n}")  # the query does not make another key
    assert len(refusal_entries()) == 1
    assert "repeats_before" not in refusal_entries()[0].detail

    cache_clock(599)
    refuse(client, "/no-such-page/")
    assert len(refusal_entries()) == 1  # still inside the window: the 8th is counted, not written

    cache_clock(2)  # 601 s after the first entry: a new window
    refuse(client, "/no-such-page/?again")
    _first, second = refusal_entries()
    assert second.detail["repeats_before"] == 7
    assert second.detail["path"] == "/no-such-page/?again=…"

    cache_clock(601)
    refuse(client, "/no-such-page/")
    assert "repeats_before" not in refusal_entries()[-1].detail  # the count was taken by the entry before
    assert chain.verify().ok


def test_each_path_kind_and_source_is_its_own_key(client, applicant, draft):
    refuse(client, "/one/")
    refuse(client, "/two/")
    refuse(client, "/one/", address="10.0.0.99")
    client.force_login(applicant)
    refuse(client, "/one/")  # the same address, now as a signed-in account
    assert client.get(reverse("applications:submit", args=[draft.pk]), REMOTE_ADDR=ADDRESS).status_code == 405
    assert client.get(reverse("applications:submit", args=[draft.pk]), REMOTE_ADDR=ADDRESS).status_code == 405
    entries = refusal_entries()
    assert [(e.detail["path"], e.ip, e.user_id) for e in entries] == [
        ("/one/", ADDRESS, None),
        ("/two/", ADDRESS, None),
        ("/one/", "10.0.0.99", None),
        ("/one/", ADDRESS, applicant.pk),
        (reverse("applications:submit", args=[draft.pk]), ADDRESS, applicant.pk),
    ]


def test_past_the_ceiling_one_flood_entry_stands_for_the_rest_of_the_window(client, cache_clock, settings):
    settings.SHENBAO_AUDIT_REFUSAL_WINDOW = 600
    settings.SHENBAO_AUDIT_REFUSAL_CEILING = 5
    for n in range(5):
        refuse(client, f"/scan/{n}/")
    assert len(refusal_entries()) == 5

    refuse(client, "/scan/5/")
    flood = refusal_entries()[-1]
    assert flood.detail["refusal"] == refusals.FLOOD
    assert (flood.detail["ceiling"], flood.detail["window_seconds"]) == (5, 600)
    assert (flood.ip, flood.result) == (ADDRESS, Result.REFUSED)

    for n in range(6, 40):
        refuse(client, f"/scan/{n}/")
    refuse(client, "/scan/0/")  # a key written before the ceiling: folded into its own count
    assert len(refusal_entries()) == 6  # exactly the ceiling and one flood entry

    refuse(client, "/scan/0/", address="10.0.0.99")  # another source is not silenced
    assert len(refusal_entries()) == 7

    cache_clock(601)
    refuse(client, "/scan/0/")
    entry = refusal_entries()[-1]
    assert entry.detail["refusal"] == refusals.NOT_FOUND
    assert (entry.detail["repeats_before"], entry.detail["suppressed_before"]) == (1, 34)
    assert chain.verify().ok


def test_a_signed_in_flood_is_bounded_per_account(client, applicant, settings):
    settings.SHENBAO_AUDIT_REFUSAL_CEILING = 3
    client.force_login(applicant)
    for n in range(20):
        refuse(client, f"/probe/{n}/", address=f"10.1.0.{n}")  # changing address does not escape it
    kinds = [e.detail["refusal"] for e in refusal_entries()]
    assert kinds == [refusals.NOT_FOUND] * 3 + [refusals.FLOOD]


# --- The 审计管理员's list ---


def test_the_audit_admin_filters_refusals_by_kind_and_sees_kind_and_path(client, other_applicant, draft):
    other = Client()
    other.force_login(other_applicant)
    other.get(reverse("applications:overview", args=[draft.pk]))
    other.get("/no-such-page/")
    auditor = factories.user(Role.AUDIT_ADMIN)
    client.force_login(auditor)

    response = client.get(reverse("audit:list"), {"refusal": refusals.OUT_OF_SCOPE})

    assert response.status_code == 200
    listed = list(response.context["page"])
    assert [(e.action, e.object_id) for e in listed] == [("access_refused", str(draft.pk))]
    page = response.content.decode()
    assert "拒绝类型" in page
    assert f"越权访问（对象不在权限范围内） · GET {reverse('applications:overview', args=[draft.pk])}" in page
    assert "/no-such-page/" not in page
    everything = client.get(reverse("audit:list"), {"result": Result.REFUSED}).context["page"]
    assert {e.detail["refusal"] for e in everything} == {refusals.OUT_OF_SCOPE, refusals.NOT_FOUND}


def test_an_unknown_kind_is_a_form_error_not_an_empty_list(client):
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    response = client.get(reverse("audit:list"), {"refusal": "everything"})
    assert response.status_code == 400
    assert "拒绝类型" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.AUDIT_ADMIN])
def test_no_other_role_lists_the_refusals(client, role):
    client.get("/no-such-page/")
    client.force_login(factories.user(role))
    response = client.get(reverse("audit:list"), {"refusal": refusals.NOT_FOUND})
    assert response.status_code == 403
    assert "/no-such-page/" not in response.content.decode()


def test_a_refusal_the_audit_log_cannot_take_is_still_the_same_refusal_and_is_logged(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(refusals, "record", broken)
    with caplog.at_level("ERROR", logger="audit.refusals"):
        response = client.get("/no-such-page/", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "refused access not recorded: GET /no-such-page/ (not_found)" in caplog.text
    assert refusal_entries() == []
