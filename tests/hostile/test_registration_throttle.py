"""Registration is throttled per address, and it does not tell a stranger which codes are registered.

Issue 19: "5 registrations in a row from one address all go through, and the page says whether a code is
registered." Limits: settings.SHENBAO_REGISTRATIONS_PER_HOUR accounts and
SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR forms per address and hour (docs/security.md, 注册与登录).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.forms import CREDIT_CODE_UNAVAILABLE
from accounts.models import Organisation, Role, User
from audit.models import AuditEntry, Result
from regions.models import Region
from shenbao.lib.throttle import Throttle
from tests import factories

REGISTER = reverse("accounts:register")
HERE, ELSEWHERE = "203.0.113.7", "198.51.100.9"
BEIJING = ZoneInfo("Asia/Shanghai")


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


def register(address=HERE, **overrides):
    """One visitor (a fresh browser) posting the form from `address`."""
    return Client().post(REGISTER, registration(**overrides), REMOTE_ADDR=address)


def window_start(scope, address=HERE):
    return cache.get(f"throttle:{scope}:{address}")


def age_window(scope, age, address=HERE):
    """What time passing does to the address's window, without sleeping: it now started `age` ago."""
    key = f"throttle:{scope}:{address}"
    start = cache.get(key)
    counted = cache.get(f"{key}:{start.timestamp():.6f}")
    moved = timezone.now() - age
    cache.set(key, moved)
    cache.set(f"{key}:{moved.timestamp():.6f}", counted)


def shown_time(moment, now=None):
    """How the message shows a moment: Beijing time rounded up to the next minute, as HH:MM when that is
    today and as M月D日 HH:MM when it is another day (a window ending after midnight)."""
    local = moment.astimezone(BEIJING)
    if local.second or local.microsecond:
        local += timedelta(minutes=1)
    today = (now or timezone.now()).astimezone(BEIJING).date()
    return f"{local:%H:%M}" if local.date() == today else f"{local.month}月{local.day}日 {local:%H:%M}"


@pytest.mark.parametrize(
    ("now", "retry_at", "shown"),
    [
        ("2026-12-07 14:00:00", "2026-12-07 15:04:30", "15:05"),
        ("2026-12-07 14:00:00", "2026-12-07 15:05:00", "15:05"),
        ("2026-12-07 23:30:00", "2026-12-08 00:29:59", "12月8日 00:30"),
        ("2026-12-07 23:30:00", "2026-12-07 23:59:30", "12月8日 00:00"),  # rounded up past midnight
    ],
)
def test_the_retry_time_names_the_day_when_it_is_not_today(now, retry_at, shown):
    def beijing(text):
        return datetime.fromisoformat(text).replace(tzinfo=BEIJING)

    throttle = Throttle("register-post", 1, timedelta(hours=1), doing="注册")
    assert throttle.refusal(beijing(retry_at), beijing(now)) == f"本地址注册过于频繁，请于 {shown} 后再试。"


# --- Accounts made per address ---


@pytest.mark.django_db
def test_the_limit_th_registration_passes_and_the_next_gets_429_with_the_form_kept(settings):
    limit = settings.SHENBAO_REGISTRATIONS_PER_HOUR
    for _ in range(limit):
        assert register().status_code == 302
    assert User.objects.filter(role=Role.APPLICANT).count() == limit

    refused_code = factories.credit_code("150500")
    response = register(credit_code=refused_code, name="第四家促进会")
    assert response.status_code == 429
    page = response.content.decode()
    retry_at = window_start("register-account") + timedelta(hours=1)
    assert f"本地址注册过于频繁，请于 {shown_time(retry_at)} 后再试。" in page
    assert 0 < int(response["Retry-After"]) <= 3600
    # What was typed is still there (passwords excepted), and nothing was made or checked.
    assert 'value="第四家促进会"' in page and f'value="{refused_code}"' in page
    assert "Nmg#Cluster2024" not in page
    assert "errorlist" not in page
    assert User.objects.filter(role=Role.APPLICANT).count() == limit
    assert not Organisation.objects.filter(credit_code=refused_code).exists()


@pytest.mark.django_db
def test_another_address_is_not_held_back_by_this_ones_limit(settings):
    for _ in range(settings.SHENBAO_REGISTRATIONS_PER_HOUR):
        register()
    assert register().status_code == 429
    assert register(address=ELSEWHERE).status_code == 302


@pytest.mark.django_db
def test_the_window_ending_lets_the_address_register_again(settings):
    for _ in range(settings.SHENBAO_REGISTRATIONS_PER_HOUR):
        register()
    assert register().status_code == 429
    age_window("register-account", timedelta(minutes=59, seconds=50))
    assert register().status_code == 429  # moments before the hour ends, still inside it
    age_window("register-account", timedelta(hours=1))
    assert register().status_code == 302


@pytest.mark.django_db
def test_a_refused_registration_is_audited_once_per_window_not_once_per_request(settings):
    for _ in range(settings.SHENBAO_REGISTRATIONS_PER_HOUR):
        register()
    for _ in range(3):
        assert register().status_code == 429
    entry = AuditEntry.objects.get(action="registration_throttled")
    assert entry.result == Result.REFUSED and entry.ip == HERE
    assert entry.detail["counted"] == "每小时注册成功次数"
    assert entry.detail["limit"] == settings.SHENBAO_REGISTRATIONS_PER_HOUR
    assert "过于频繁" in entry.detail["reason"]
    assert register(address=ELSEWHERE).status_code == 302  # the other address: not refused, not recorded
    assert AuditEntry.objects.filter(action="registration_throttled").count() == 1


# --- Forms posted per address (whatever comes of them) ---


@pytest.mark.django_db
def test_the_limit_th_attempt_is_answered_and_the_next_is_refused(settings):
    limit = settings.SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR
    for _ in range(limit):
        response = register(contact_mobile="0471")  # wrong each time: answered, nothing made
        assert response.status_code == 200
        assert "11位手机号码" in response.content.decode()
    response = register()  # right this time, but past the limit
    assert response.status_code == 429
    assert "本地址注册过于频繁" in response.content.decode()
    assert not Organisation.objects.exists()
    assert AuditEntry.objects.get(action="registration_throttled").detail["counted"] == "每小时提交注册表单次数"
    assert register(address=ELSEWHERE).status_code == 302


@pytest.mark.django_db
def test_a_get_of_the_page_is_not_counted(settings):
    for _ in range(settings.SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR + 5):
        assert Client().get(REGISTER, REMOTE_ADDR=HERE).status_code == 200
    assert register().status_code == 302


# --- Not an oracle ---


@pytest.fixture
def taken(db):
    """One code in every state a registration can be in, and one held by an account."""
    codes = {}
    for status in Organisation.Status:
        codes[status.label] = factories.organisation("150500", status=status).credit_code
    disabled = factories.user(Role.APPLICANT, organisation_obj=factories.organisation("150500"), is_active=False)
    codes["账号已停用"] = disabled.username
    return codes


@pytest.mark.django_db
def test_a_taken_code_gets_one_neutral_sentence_whatever_its_state(client, taken):
    answers = {}
    for state, code in taken.items():
        response = Client().post(REGISTER, registration(credit_code=code.lower()), REMOTE_ADDR=f"10.0.0.{len(answers)}")
        assert response.status_code == 200, state
        answers[state] = [str(e) for e in response.context["form"].errors["credit_code"]]
    assert set(map(tuple, answers.values())) == {(CREDIT_CODE_UNAVAILABLE,)}, answers
    for word in ("已注册", "已通过", "待审核", "未通过", "已停用"):
        assert word not in CREDIT_CODE_UNAVAILABLE
    assert Organisation.objects.count() == len(taken)


@pytest.mark.django_db
def test_a_half_filled_form_says_nothing_about_whether_its_code_is_taken(taken):
    code = taken["已通过"]
    taken_answer = register(credit_code=code, contact_mobile="0471")
    free_answer = register(credit_code=factories.credit_code("150500"), contact_mobile="0471")
    assert taken_answer.context["form"].errors == free_answer.context["form"].errors
    assert "credit_code" not in taken_answer.context["form"].errors
    assert not AuditEntry.objects.filter(action="registration_refused").exists()


@pytest.mark.django_db
def test_a_taken_code_is_audited_for_its_region_and_the_audit_administrator(taken):
    code = taken["待审核"]
    register(credit_code=code)
    entry = AuditEntry.objects.get(action="registration_refused")
    existing = Organisation.objects.get(credit_code=code)
    assert (entry.result, entry.ip, entry.object_type, entry.object_id) == (
        Result.REFUSED,
        HERE,
        "organisation",
        str(existing.pk),
    )
    assert entry.detail["credit_code"] == code
    assert entry.detail["registered_region"] == "150500" and entry.detail["region"] == "150500"
    assert "password" not in str(entry.detail).lower() and "Nmg#" not in str(entry.detail)


@pytest.mark.django_db
def test_a_taken_code_counts_toward_the_addresss_attempts(settings, taken):
    """Finding out costs a whole valid form each time, and the address has only so many an hour."""
    codes = list(taken.values())
    for i in range(settings.SHENBAO_REGISTRATION_ATTEMPTS_PER_HOUR):
        assert register(credit_code=codes[i % len(codes)]).status_code == 200
    assert register(credit_code=codes[0]).status_code == 429


# --- The throttle itself, with its clock moved by hand ---

T0 = datetime(2024, 6, 18, 6, 4, 30, tzinfo=ZoneInfo("UTC"))  # 14:04:30 in Beijing


def test_hit_allows_the_limit_and_refuses_the_next_until_the_window_ends(db):
    throttle = Throttle("test", 3, timedelta(hours=1), doing="提交异议")
    assert [bool(throttle.hit("a", T0 + timedelta(minutes=i))) for i in range(4)] == [True, True, True, False]
    refused = throttle.hit("a", T0 + timedelta(minutes=59, seconds=29, microseconds=999999))
    assert not refused and refused.retry_at == T0 + timedelta(hours=1)
    assert refused.message == "本地址提交异议过于频繁，请于 15:05 后再试。"  # 15:04:30, rounded up
    assert throttle.hit("a", T0 + timedelta(hours=1))  # the window's end opens the next
    assert throttle.hit("b", T0)  # another address: its own count


def test_check_counts_nothing_and_refuses_at_the_limit(db):
    throttle = Throttle("test", 2, timedelta(minutes=10), doing="注册")
    assert throttle.check("a", T0) and throttle.check("a", T0)  # asking twice counts nothing
    throttle.hit("a", T0)
    assert throttle.check("a", T0)
    throttle.hit("a", T0 + timedelta(minutes=1))
    refused = throttle.check("a", T0 + timedelta(minutes=2))
    assert not refused and refused.count == 2 and refused.retry_at == T0 + timedelta(minutes=10)
    assert throttle.check("a", T0 + timedelta(minutes=10))


def test_a_window_ending_another_day_names_the_day(db):
    throttle = Throttle("test", 1, timedelta(hours=12), doing="注册")
    throttle.hit("a", T0)
    refused = throttle.hit("a", T0)
    assert refused.message == "本地址注册过于频繁，请于 6月19日 02:05 后再试。"


def test_the_first_refusal_of_a_window_is_marked_once(db):
    throttle = Throttle("test", 1, timedelta(hours=1), doing="注册")
    throttle.hit("a", T0)
    first, second = throttle.hit("a", T0), throttle.hit("a", T0 + timedelta(minutes=1))
    assert throttle.first_refusal("a", first) and not throttle.first_refusal("a", second)
    assert not throttle.first_refusal("a", throttle.hit("b", T0))  # an allowed request is no refusal
    later = T0 + timedelta(hours=1)
    throttle.hit("a", later)
    assert throttle.first_refusal("a", throttle.hit("a", later))  # the next window's first refusal


def test_a_clock_moved_back_does_not_hold_a_window_open(db):
    throttle = Throttle("test", 1, timedelta(hours=1), doing="注册")
    throttle.hit("a", T0)
    assert not throttle.hit("a", T0)
    assert throttle.hit("a", T0 - timedelta(minutes=1))  # a start in the future is no open window


@pytest.mark.parametrize(("limit", "window"), [(0, timedelta(hours=1)), (1, timedelta(0))])
def test_a_throttle_that_could_never_allow_anything_is_refused_at_once(limit, window):
    with pytest.raises(ValueError):
        Throttle("test", limit, window, doing="注册")


def test_now_defaults_to_the_real_clock(db):
    throttle = Throttle("test", 1, timedelta(hours=1), doing="注册")
    assert throttle.hit("a")
    refused = throttle.hit("a")
    assert timezone.now() < refused.retry_at <= timezone.now() + timedelta(hours=1)
