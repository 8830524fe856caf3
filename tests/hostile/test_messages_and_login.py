"""Issue 19's findings about messages and signing in, each at its boundary, through the real pages: a short
password, a NUL in a name, a name one character too long, an unknown 盟市, a disabled account, and a
统一社会信用代码 typed lower-case, full-width, spaced or dashed."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import Organisation, Role, User
from audit.models import AuditEntry, Result
from regions.models import Region
from tests import factories
from tests.factories import PASSWORD

REGISTER = reverse("accounts:register")
LOGIN = reverse("accounts:login")
NAME_LIMIT = Organisation._meta.get_field("name").max_length
# A published code with letters in it (GB 32100-2015; accounts/tests/test_credit_code_properties.py).
CODE = "91350100M000100Y43"
NEUTRAL = "账号或密码错误"


def registration(**overrides):
    data = {
        "name": "通辽铝基新材料产业集群促进会",
        "credit_code": factories.credit_code("150500"),
        "legal_representative": "包玉梅",
        "address": "内蒙古自治区通辽市科尔沁区建国路 1 号",
        "region": Region.objects.get(code="150500").pk,
        "contact_name": "乌力吉",
        "contact_mobile": "13947500001",
        "email": "tl@example.com",
        "password1": "Nmg#Cluster2024",
        "password2": "Nmg#Cluster2024",
    }
    data.update(overrides)
    return data


def errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- Registration messages ---


@pytest.mark.django_db
def test_a_password_one_short_of_the_minimum_is_refused_in_chinese_with_both_numbers(client):
    short = "Nmg#202"  # 7: upper, lower, digit and symbol, one character short
    response = client.post(REGISTER, registration(password1=short, password2=short))
    assert response.status_code == 200
    assert errors(response, "password1") == ["密码太短：至少需要 8 个字符，现为 7 个，请加长。"]
    assert "This password" not in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_password_of_exactly_the_minimum_is_accepted(client):
    exact = "Nmg#2024"
    response = client.post(REGISTER, registration(password1=exact, password2=exact))
    assert response.status_code == 302
    assert User.objects.get(role=Role.APPLICANT).check_password(exact)


@pytest.mark.django_db
def test_the_password_change_page_says_the_minimum_in_chinese_too(client, applicant):
    client.force_login(applicant)
    short = "Nmg#202"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": short, "new_password2": short},
    )
    assert errors(response, "new_password2") == ["密码太短：至少需要 8 个字符，现为 7 个，请加长。"]
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Wrong#Pass1", "new_password1": "Nmg#Cluster2025", "new_password2": "Nmg#Cluster2025"},
    )
    assert errors(response, "old_password") == ["旧密码不正确，请重新输入当前使用的密码。"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["稀土\x00促进会", "\x00", "稀土\x0b促进会", "稀土\x1b[31m促进会"])
def test_an_invisible_control_character_in_the_name_is_refused_by_name(client, name):
    response = client.post(REGISTER, registration(name=name))
    assert response.status_code == 200
    assert errors(response, "name") == [
        "单位名称含有不可见的控制字符，请删除后重新填写（看不到时可清空本项后重新输入）。"
    ]
    assert "不允许是用空字符串" not in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_name_at_the_limit_registers_and_one_more_character_is_refused_with_both_lengths(client):
    response = client.post(REGISTER, registration(name="长" * (NAME_LIMIT + 1)))
    assert errors(response, "name") == [
        f"单位名称最多 {NAME_LIMIT} 个字，现为 {NAME_LIMIT + 1} 个字，请删减后重新提交。"
    ]
    response = client.post(REGISTER, registration(name="长" * 500))
    assert errors(response, "name") == [f"单位名称最多 {NAME_LIMIT} 个字，现为 500 个字，请删减后重新提交。"]
    assert not Organisation.objects.exists()
    response = client.post(REGISTER, registration(name="长" * NAME_LIMIT))
    assert response.status_code == 302
    assert Organisation.objects.get().name == "长" * NAME_LIMIT


@pytest.mark.django_db
@pytest.mark.parametrize("region", ["999999", "abc", "-1", "9" * 30, ""])
def test_an_unknown_region_is_refused_with_what_to_do(client, region):
    response = client.post(REGISTER, registration(region=region))
    expected = "请选择所属盟市（推荐单位）。" if region == "" else "请从列表中选择所属盟市。"
    assert errors(response, "region") == [expected]
    assert not Organisation.objects.exists()


# --- A disabled account ---


@pytest.fixture
def disabled_applicant(db):
    organisation = factories.organisation("150200", credit_code=CODE)
    return factories.user(Role.APPLICANT, organisation_obj=organisation, is_active=False)


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def failures(username):
    attempt = AccessAttempt.objects.filter(username=username).first()
    return attempt.failures_since_start if attempt else 0


@pytest.mark.django_db
def test_a_disabled_account_with_its_right_password_is_told_it_is_disabled_and_whom_to_ask(client, disabled_applicant):
    response = sign_in(client, CODE, PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "该账号已停用，无法登录。如需恢复，请联系包头市工业和信息化局或系统管理员。" in page
    assert NEUTRAL not in page
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="login_disabled")
    assert (entry.user, entry.result, entry.object_id) == (
        disabled_applicant,
        Result.REFUSED,
        str(disabled_applicant.pk),
    )
    # Still a failure for the lock, as before: axes counted it, the log has it as 登录失败 too.
    assert failures(CODE) == 1
    assert AuditEntry.objects.filter(action="login_failed", username=CODE).count() == 1


@pytest.mark.django_db
def test_a_disabled_account_with_a_wrong_password_gets_the_neutral_message_and_no_refusal_entry(
    client, disabled_applicant
):
    response = sign_in(client, CODE, "Wrong#Pass2024")
    page = response.content.decode()
    assert NEUTRAL in page
    assert "已停用" not in page  # a stranger learns nothing about the account
    assert not AuditEntry.objects.filter(action="login_disabled").exists()
    assert failures(CODE) == 1


@pytest.mark.django_db
def test_a_disabled_staff_account_is_sent_to_the_system_administrator(client):
    factories.user(Role.EXPERT, username="zhoumy", is_active=False)
    page = sign_in(client, "zhoumy", PASSWORD).content.decode()
    assert "该账号已停用，无法登录。如需恢复，请联系系统管理员。" in page


@pytest.mark.django_db
def test_a_disabled_account_is_still_locked_after_the_failure_limit(client, disabled_applicant):
    for _ in range(4):
        assert sign_in(client, CODE, PASSWORD).status_code == 200
    locked = sign_in(client, CODE, PASSWORD)
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()


@pytest.mark.django_db
def test_in_production_a_disabled_superuser_is_not_told_it_exists(client, settings):
    settings.PRODUCTION = True
    factories.user(Role.SYSTEM_ADMIN, username="root01", is_active=False, is_superuser=True)
    page = sign_in(client, "root01", PASSWORD).content.decode()
    assert NEUTRAL in page and "已停用" not in page


# --- The credit code in any form registration accepts ---


@pytest.fixture
def coded_applicant(db):
    return factories.user(Role.APPLICANT, organisation_obj=factories.organisation("150200", credit_code=CODE))


FULL_WIDTH = CODE.translate(str.maketrans("0123456789MY", "０１２３４５６７８９ｍｙ"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        CODE.lower(),
        FULL_WIDTH,
        "9135 0100 M000 100Y 43",
        "  91350100m000100y43  ",
        "91350100-M000100Y-43",
        "91350100－M000100Y４３",  # full-width dash and digits from a Chinese input method
        "9135\u30000100M000100Y43",  # an ideographic space
    ],
)
def test_the_credit_code_typed_as_registration_accepts_it_signs_in_where_the_upper_case_one_does(
    client, coded_applicant, typed
):
    expected = sign_in(client, CODE, PASSWORD)
    assert expected.status_code == 302
    client.post(reverse("accounts:logout"))
    response = sign_in(client, typed, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == expected["Location"]
    assert client.session["_auth_user_id"] == str(coded_applicant.pk)


@pytest.mark.django_db
def test_wrong_passwords_in_upper_and_lower_case_count_toward_one_lock(client, coded_applicant):
    for typed in (CODE, CODE.lower(), FULL_WIDTH, "9135 0100 m000 100y 43"):
        assert sign_in(client, typed, "Wrong#Pass2024").status_code == 200
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [CODE]
    assert failures(CODE) == 4
    locked = sign_in(client, CODE.lower(), "Wrong#Pass2024")  # the fifth, in lower case, locks
    assert locked.status_code == 429
    assert sign_in(client, CODE, PASSWORD).status_code == 429  # and the right one no longer opens it
    assert "_auth_user_id" not in client.session
    # The log names the account one way too, however it was typed.
    assert set(AuditEntry.objects.filter(action="login_failed").values_list("username", flat=True)) == {CODE}


@pytest.mark.django_db
def test_a_code_with_a_wrong_check_character_is_not_normalised_into_someone_else(client, coded_applicant):
    near = CODE[:17].lower() + "0"  # lower case and a wrong 18th character: not a code, taken as typed
    response = sign_in(client, near, PASSWORD)
    assert NEUTRAL in response.content.decode()
    assert AccessAttempt.objects.get().username == near


@pytest.mark.django_db
def test_staff_account_names_are_taken_exactly_as_typed(client):
    staff = factories.user(Role.BUREAU, username="BaoTou-01")
    assert sign_in(client, "baotou-01", PASSWORD).status_code == 200  # not folded to another case
    assert sign_in(client, "BaoTou01", PASSWORD).status_code == 200  # nor its dash dropped
    assert AccessAttempt.objects.filter(username="baotou-01").exists()
    response = sign_in(client, "BaoTou-01", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_axes_keys_failures_by_the_normalised_code_whoever_calls_authenticate(rf):
    """The login form normalises before authenticate(); AXES_USERNAME_CALLABLE makes axes do it too, for any
    other caller and for the request's own POST (axes' fallback when it is given no credentials)."""
    from axes.helpers import get_client_username

    request = rf.post(LOGIN, {"username": CODE.lower()})
    assert get_client_username(request) == CODE
    assert get_client_username(request, {"username": FULL_WIDTH}) == CODE
    assert get_client_username(request, {"username": "BaoTou-01"}) == "BaoTou-01"


@pytest.mark.django_db
def test_an_account_name_past_its_limit_is_refused_by_the_form_before_anything_is_stored(client):
    """AuthenticationForm sets max_length without checking it, so a 10,000-character name reached axes, whose
    255-character column made it a server error on PostgreSQL."""
    limit = User._meta.get_field("username").max_length
    response = sign_in(client, "长" * (limit + 1), PASSWORD)
    assert response.status_code == 200
    assert errors(response, "username") == [f"账号最多 {limit} 个字，现为 {limit + 1} 个字，请删减后重新提交。"]
    assert not AccessAttempt.objects.exists()
    response = sign_in(client, "长" * limit, PASSWORD)  # at the limit: an ordinary wrong login
    assert NEUTRAL in response.content.decode()
    assert AccessAttempt.objects.get().username == "长" * limit
