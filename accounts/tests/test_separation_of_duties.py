"""三员分立: the 系统管理员 manages accounts, organisations, 盟市 and calls — every change audited — but
reads no audit log, sets no security policy and reads no application content; the 安全管理员 and the
审计管理员 manage nothing of that kind."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

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


# --- calls: the 自治区工信厅's business, no operator's ---


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_no_operator_authors_or_publishes_a_call(client, call, role):
    client.force_login(factories.user(role))
    before = (call.is_published, call.applicant_closes_at, call.current_revision_id, call.revisions.count())
    refused = [
        ("GET", reverse("authoring:list")),
        ("GET", reverse("authoring:call", args=[call.code])),
        ("POST", reverse("authoring:window", args=[call.code])),
        ("POST", reverse("authoring:unpublish", args=[call.code])),
        ("POST", reverse("authoring:publish", args=[call.code, 1])),
    ]
    for method, url in refused:
        assert getattr(client, method.lower())(url).status_code == 403, url
    call.refresh_from_db()
    assert (call.is_published, call.applicant_closes_at, call.current_revision_id, call.revisions.count()) == before
    assert not AuditEntry.objects.filter(action__in=("call_change", "schema_publish")).exists()


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
    assert not AuditEntry.objects.filter(action="setting_change").exists()  # no policy was saved


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
    ]
    for method, url in refused:
        assert getattr(client, method.lower())(url).status_code == 403, url
    applicant.refresh_from_db()
    assert applicant.is_active
    assert Call.objects.get(pk=call.pk).is_published


def test_the_audit_admin_may_not_change_the_security_policy(client):
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    assert client.get(reverse("security:policy")).status_code == 403
