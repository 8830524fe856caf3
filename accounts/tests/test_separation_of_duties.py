"""三员分立: the 系统管理员 manages accounts, organisations, 盟市 and calls — every change audited — but
reads no audit log, sets no security policy and reads no application content; the 安全管理员 and the
审计管理员 manage nothing of that kind."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEntry
from calls.models import Call
from regions.models import Region
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DATETIME = "%Y-%m-%dT%H:%M"


@pytest.fixture
def sysadmin(client):
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    return admin


def _last(action):
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


def staff_form(**overrides):
    return {
        "username": "chifeng01",
        "full_name": "赤峰审核员",
        "role": Role.BUREAU,
        "region": Region.objects.get(code="150400").pk,
        "affiliation": "",
        "mobile": "13904760001",
        "email": "cf@example.com",
        **overrides,
    }


# --- accounts: every change audited ---


def test_creating_an_account_is_audited(client, sysadmin):
    client.post(reverse("accounts:account_create"), staff_form())
    entry = _last("account_create")
    account = User.objects.get(username="chifeng01")
    assert (entry.user, entry.role, entry.object_id) == (sysadmin, Role.SYSTEM_ADMIN, str(account.pk))
    assert entry.detail["role"] == Role.BUREAU and entry.detail["region"] == "赤峰市"
    assert entry.ip == "127.0.0.1"


def test_changing_a_role_and_details_is_audited_separately(client, sysadmin):
    account = factories.user(Role.BUREAU, region_code="150400", username="chifeng01")
    url = reverse("accounts:account_detail", args=[account.pk])
    response = client.post(url, staff_form(role=Role.EXPERT, affiliation="内蒙古大学", region=""))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.role == Role.EXPERT
    role = _last("role_change")
    assert (role.user, role.object_id, role.detail) == (
        sysadmin,
        str(account.pk),
        {"old": Role.BUREAU, "new": Role.EXPERT},
    )
    update = _last("account_update")
    assert update.detail["changes"]["affiliation"] == {"old": "", "new": "内蒙古大学"}
    assert update.detail["changes"]["region"] == {"old": "赤峰市", "new": None}


def test_saving_an_unchanged_account_records_no_change(client, sysadmin):
    account = factories.user(Role.BUREAU, region_code="150400", username="chifeng01", full_name="赤峰审核员")
    account.mobile, account.email = "13904760001", "cf@example.com"
    account.save()
    client.post(reverse("accounts:account_detail", args=[account.pk]), staff_form())
    assert not AuditEntry.objects.filter(action__in=("role_change", "account_update")).exists()


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ("reset-password", "password_reset"),
        ("disable", "account_disable"),
        ("unlock", "account_unlock"),
    ],
)
def test_each_account_action_is_audited(client, sysadmin, action, code):
    account = factories.user(Role.DEPARTMENT)
    client.post(reverse("accounts:account_action", args=[account.pk, action]))
    entry = _last(code)
    assert (entry.user, entry.object_type, entry.object_id, entry.result) == (
        sysadmin,
        "user",
        str(account.pk),
        "成功",
    )


def test_enabling_an_account_again_is_audited(client, sysadmin):
    account = factories.user(Role.DEPARTMENT, is_active=False)
    client.post(reverse("accounts:account_action", args=[account.pk, "enable"]))
    account.refresh_from_db()
    assert account.is_active
    assert _last("account_enable").object_id == str(account.pk)


def test_unlocking_clears_the_lock_and_says_how_many_failures(client, sysadmin):
    account = factories.user(Role.APPLICANT)
    client.logout()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": account.username, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=account.username).exists()
    client.force_login(sysadmin)
    client.post(reverse("accounts:account_action", args=[account.pk, "unlock"]))
    assert not AccessAttempt.objects.filter(username=account.username).exists()
    assert _last("account_unlock").detail == {"failures_cleared": 1}


# --- organisations: their accounts, never their content ---


def test_disabling_an_organisation_disables_its_accounts_with_a_reason(client, sysadmin):
    applicant = factories.user(Role.APPLICANT)
    organisation = applicant.organisation
    url = reverse("accounts:organisation_accounts", args=[organisation.pk, "disable"])
    response = client.post(url, {"reason": "单位已注销"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert not applicant.is_active
    entry = _last("organisation_change")
    assert (entry.object_type, entry.object_id) == ("organisation", str(organisation.pk))
    assert entry.detail == {
        "accounts_active": False,
        "accounts_changed": 1,
        "account_ids": [applicant.pk],
        "reason": "单位已注销",
    }
    assert _last("account_disable").detail == {"reason": "单位已注销"}
    client.logout()
    assert (
        client.post(reverse("accounts:login"), {"username": applicant.username, "password": PASSWORD}).status_code
        == 200
    )

    client.force_login(sysadmin)
    client.post(reverse("accounts:organisation_accounts", args=[organisation.pk, "enable"]), {"reason": "恢复"})
    applicant.refresh_from_db()
    assert applicant.is_active


def test_enabling_an_organisation_gives_back_only_the_accounts_its_disable_switched_off(client, sysadmin):
    applicant = factories.user(Role.APPLICANT)
    organisation = applicant.organisation
    banned = factories.user(Role.APPLICANT, organisation_obj=organisation, username="banned01", is_active=False)
    client.post(reverse("accounts:organisation_accounts", args=[organisation.pk, "disable"]), {"reason": "注销"})
    client.post(reverse("accounts:organisation_accounts", args=[organisation.pk, "enable"]), {"reason": "恢复"})
    applicant.refresh_from_db()
    banned.refresh_from_db()
    assert applicant.is_active and not banned.is_active
    assert _last("organisation_change").detail["account_ids"] == [applicant.pk]


def test_an_unknown_organisation_action_is_not_found(client, sysadmin):
    applicant = factories.user(Role.APPLICANT)
    url = reverse("accounts:organisation_accounts", args=[applicant.organisation.pk, "delete"])
    assert client.post(url, {"reason": "x"}).status_code == 404
    applicant.refresh_from_db()
    assert applicant.is_active


def test_disabling_an_organisation_needs_a_reason(client, sysadmin):
    applicant = factories.user(Role.APPLICANT)
    url = reverse("accounts:organisation_accounts", args=[applicant.organisation.pk, "disable"])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "请填写停用或启用的原因。" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.is_active
    assert not AuditEntry.objects.filter(action="organisation_change").exists()


def test_the_organisation_list_searches_by_name_or_credit_code(client, sysadmin):
    first = factories.user(Role.APPLICANT).organisation
    second = factories.user(Role.APPLICANT, region_code="150500").organisation
    found = client.get(reverse("accounts:organisation_list"), {"q": second.credit_code[-6:]}).context["organisations"]
    assert list(found) == [second]
    assert (
        first not in client.get(reverse("accounts:organisation_list"), {"q": "不存在的单位"}).context["organisations"]
    )


def test_the_organisation_page_shows_its_accounts_to_the_system_admin(client, sysadmin):
    applicant = factories.user(Role.APPLICANT)
    page = client.get(reverse("accounts:organisation_detail", args=[applicant.organisation.pk]))
    assert list(page.context["accounts"]) == [applicant]
    assert "停用该单位全部账号" in page.content.decode()


# --- 盟市 ---


def test_a_region_s_names_are_changed_and_audited_but_not_its_code(client, sysadmin):
    region = Region.objects.get(code="150200")
    url = reverse("regions:edit", args=[region.pk])
    response = client.post(url, {"name": "包头市", "bureau_name": "包头市工业和信息化局（新）", "code": "999999"})
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.code, region.bureau_name) == ("150200", "包头市工业和信息化局（新）")
    entry = _last("region_change")
    assert entry.detail["code"] == "150200"
    assert list(entry.detail["changes"]) == ["bureau_name"]


def test_a_region_name_must_stay_unique_and_the_message_is_next_to_the_field(client, sysadmin):
    region = Region.objects.get(code="150200")
    response = client.post(reverse("regions:edit", args=[region.pk]), {"name": "赤峰市", "bureau_name": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert "名称" in response.context["form"].errors["name"][0]
    assert not AuditEntry.objects.filter(action="region_change").exists()


# --- calls ---


def _call_form(call, **overrides):
    return {
        "is_published": "on" if call.is_published else "",
        "applicant_opens_at": timezone.localtime(call.applicant_opens_at).strftime(DATETIME),
        "applicant_closes_at": timezone.localtime(call.applicant_closes_at).strftime(DATETIME),
        **overrides,
    }


def test_unpublishing_a_call_hides_it_and_is_audited(client, sysadmin, call):
    response = client.post(reverse("calls:manage_call", args=[call.code]), _call_form(call, is_published=""))
    assert response.status_code == 302
    call.refresh_from_db()
    assert not call.is_published
    assert client.get(reverse("calls:guide", args=[call.code])).status_code == 404
    entry = _last("call_change")
    assert entry.detail["changes"]["is_published"] == {"old": True, "new": False}


def test_the_applicant_window_can_be_moved_and_is_audited(client, sysadmin, call):
    closes = timezone.localtime(call.applicant_closes_at + timedelta(days=2)).replace(second=0, microsecond=0)
    form = _call_form(call, applicant_closes_at=closes.strftime(DATETIME))
    assert client.post(reverse("calls:manage_call", args=[call.code]), form).status_code == 302
    call.refresh_from_db()
    assert call.applicant_closes_at == closes
    assert "applicant_closes_at" in _last("call_change").detail["changes"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"applicant_closes_at": "2020-01-01T00:00"}, "applicant_closes_at", "申报截止时间须晚于申报开始时间。"),
        ({"applicant_opens_at": ""}, "applicant_opens_at", "发布前请填写申报开始时间。"),
        ({"applicant_closes_at": "2099-01-01T00:00"}, "applicant_closes_at", "不能晚于盟市推荐截止时间"),
    ],
)
def test_an_impossible_window_is_refused_next_to_the_field(client, sysadmin, call, overrides, field, message):
    response = client.post(reverse("calls:manage_call", args=[call.code]), _call_form(call, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not AuditEntry.objects.filter(action="call_change").exists()


def test_a_call_s_content_is_not_editable_here(client, sysadmin, call):
    client.post(reverse("calls:manage_call", args=[call.code]), _call_form(call, name="改名", guide_text="改写"))
    call.refresh_from_db()
    assert call.name != "改名" and call.guide_text != "改写"


# --- what each operator may not do ---

CONTENT_URLS = [
    ("reviews:detail", lambda app: [app.pk]),
    ("applications:overview", lambda app: [app.pk]),
    ("documents:download", lambda app: [app.pk, "report", "pdf"]),
    ("applications:download", lambda app: [app.attachments.first().pk]),
]


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_operator_reads_application_content(client, media, call, role):
    app = factories.submitted_application("150200")
    client.force_login(factories.user(role))
    for name, args in CONTENT_URLS:
        assert client.get(reverse(name, args=args(app))).status_code in (403, 404), name
    assert not AuditEntry.objects.filter(action__in=("view", "download")).exists()


def test_the_system_admin_reads_no_audit_log_and_sets_no_security_policy(client, sysadmin):
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("security:policy")).status_code == 403
    assert client.post(reverse("security:policy"), {"login_failure_limit": 3}).status_code == 403


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_security_and_audit_admins_manage_no_accounts_organisations_regions_or_calls(client, call, role):
    client.force_login(factories.user(role))
    applicant = factories.user(Role.APPLICANT)
    region = Region.objects.get(code="150200")
    refused = [
        ("GET", reverse("accounts:account_list")),
        ("GET", reverse("accounts:account_create")),
        ("POST", reverse("accounts:account_action", args=[applicant.pk, "disable"])),
        ("GET", reverse("accounts:organisation_list")),
        ("POST", reverse("accounts:organisation_accounts", args=[applicant.organisation.pk, "disable"])),
        ("GET", reverse("regions:edit", args=[region.pk])),
        ("GET", reverse("calls:manage_list")),
        ("POST", reverse("calls:manage_call", args=[call.code])),
    ]
    for method, url in refused:
        assert getattr(client, method.lower())(url).status_code == 403, url
    applicant.refresh_from_db()
    assert applicant.is_active
    assert Call.objects.get(pk=call.pk).is_published


def test_the_audit_admin_may_not_change_the_security_policy(client):
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    assert client.get(reverse("security:policy")).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"is_published": ""}, "is_published", "已有申报单位填报本批次，不能取消发布。"),
        ({"applicant_opens_at": "later"}, "applicant_opens_at", "申报开始时间不能晚于原定的"),
    ],
)
def test_a_call_with_applications_stays_published_and_opens_no_later(client, sysadmin, call, overrides, field, message):
    factories.application(call=call)
    call.refresh_from_db()
    if overrides.get("applicant_opens_at") == "later":
        later = timezone.localtime(call.applicant_opens_at + timedelta(days=1))
        overrides = {"applicant_opens_at": later.strftime(DATETIME)}
    before = (call.is_published, call.applicant_opens_at)
    response = client.post(reverse("calls:manage_call", args=[call.code]), _call_form(call, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    call.refresh_from_db()
    assert (call.is_published, call.applicant_opens_at) == before
    assert not AuditEntry.objects.filter(action="call_change").exists()
