"""Malformed posts: whatever shape a request takes, it gets a clear Chinese error and changes nothing stored."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from accounts.forms import LoginForm, OrganisationForm, RegistrationForm, RegistrationReviewForm, StaffAccountForm
from accounts.models import Organisation, Role, User
from applications.models import Application, Transition
from regions.models import Region
from reviews import experts, initial_review
from reviews.models import Decision, ExpertReview, Recommendation, SiteVisit
from shenbao.lib.forms import DUPLICATED, ChineseMessagesMixin, ShenbaoForm
from tests import factories
from tests.hostile.support import post_autosave, stored

BAD_FORMAT = "保存请求格式不正确"


@pytest.fixture
def edited(signed_in, draft):
    """The draft after one real save, so there is something (version 1, one cell) that must not change."""
    response = post_autosave(signed_in, draft, {"version": 0, "changes": {"industry_chain": "原有内容"}})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.edit_version == 1
    return draft


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        "{",
        b"\xff\xfe\x00garbage",
        "[]",
        '["changes", "version"]',
        "42",
        "null",
        '"a string"',
        '{"changes": {"industry_chain": "x"}}',  # no version
        '{"version": 1}',  # no changes
        '{"version": 1, "changes": ["industry_chain", "x"]}',
        '{"version": 1, "changes": "industry_chain=x"}',
        '{"version": 1, "changes": null}',
        '{"version": 1, "changes": {"industry_chain": "x"}, "status": "approved"}',  # unknown key
        '{"version": 1, "changes": {"industry_chain": "x"}, "force": "industry_chain"}',
        '{"version": 1, "changes": {"industry_chain": "x"}, "force": {"industry_chain": 1}}',
        '{"version": 1, "changes": {"industry_chain": "x"}, "force": [["industry_chain"]]}',
        '{"version": 1, "changes": {"industry_chain": "x"}, "force": 5}',
        # The same key twice: which one "wins" is a parser's accident, so neither does.
        '{"version": 1, "changes": {"industry_chain": "x"}, "changes": {"area": "1.00"}}',
        '{"version": 1, "changes": {"industry_chain": "x", "industry_chain": "y"}}',
        '{"version": 1, "changes": {"area": NaN}}',
        '{"version": 1, "changes": {"area": Infinity}}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=lambda body: repr(body)[:40],
)
def test_a_body_that_is_not_what_the_page_sends_is_refused_and_changes_nothing(signed_in, edited, body):
    before = stored(edited)
    response = post_autosave(signed_in, edited, body)
    assert response.status_code == 400
    assert BAD_FORMAT in response.json()["message"]
    assert stored(edited) == before


@pytest.mark.parametrize(
    "version", ["1", "abc", 1.0, 1.5, True, None, -1, 2, 10**30, [1], {"v": 1}], ids=lambda v: repr(v)[:20]
)
def test_a_version_that_is_not_one_the_server_issued_is_refused(signed_in, edited, version):
    # Without the check a made-up future version (2, 10**30) would skip the conflict check and overwrite.
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": version, "changes": {"industry_chain": "覆盖"}})
    assert response.status_code == 400
    assert "编辑版本号不正确" in response.json()["message"]
    assert stored(edited) == before


def test_a_stale_but_real_version_still_gets_the_conflict_not_an_overwrite(signed_in, edited):
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": 0, "changes": {"industry_chain": "旧页面的内容"}})
    assert response.status_code == 409
    assert stored(edited) == before


def test_unknown_and_derived_cells_are_refused_with_their_names(signed_in, edited):
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": 1, "changes": {"status": "approved", "area": "1.00"}})
    assert response.status_code == 400
    assert "未知的填报项" in response.json()["message"] and "status" in response.json()["message"]
    response = post_autosave(signed_in, edited, {"version": 1, "changes": {"organisation_name": "冒名单位"}})
    assert response.status_code == 400
    assert stored(edited) == before


@pytest.mark.parametrize(
    "value",
    [{"nested": "object"}, ["a", "b"], True, None, "字" * 20_001, [{"text": "x"}]],
    ids=["dict", "list", "bool", "null", "over-long", "list-of-dicts"],
)
def test_a_value_of_the_wrong_type_in_a_text_cell_is_refused_next_to_the_cell(signed_in, edited, value):
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": 1, "changes": {"industry_chain": value}})
    body = response.json()
    if value is None:
        # null is what a cleared field sends: the cell is emptied, which is a real edit.
        assert response.status_code == 200
        return
    assert response.status_code == 200
    assert body["errors"]["industry_chain"] in {"格式不正确，未能保存。", "内容过长，未能保存。"}
    assert body["values"] == {}
    assert stored(edited) == before


@pytest.mark.parametrize("value", [{"n": 1}, [1.5], True, "1" * 20_001])
def test_wrong_types_in_a_number_cell_are_refused(signed_in, edited, value):
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": 1, "changes": {"area": value}})
    assert response.status_code == 200
    assert "area" in response.json()["errors"]
    assert stored(edited) == before


def test_a_body_over_the_memory_limit_is_refused_in_chinese_before_it_is_read(signed_in, edited, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == int(2.5 * 1024 * 1024)  # set on purpose, not Django's default
    before = stored(edited)
    big = json.dumps({"version": 1, "changes": {"industry_chain": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}})
    response = post_autosave(signed_in, edited, big)
    assert response.status_code == 413
    assert "内容过大" in response.json()["message"]
    assert stored(edited) == before


def test_a_ten_megabyte_string_is_refused_whatever_the_limit(signed_in, edited, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None  # even with no body limit, the cell limit holds
    before = stored(edited)
    response = post_autosave(signed_in, edited, {"version": 1, "changes": {"industry_chain": "字" * 10_000_000}})
    assert response.status_code == 200
    assert response.json()["errors"]["industry_chain"] == "内容过长，未能保存。"
    assert stored(edited) == before


# --- The editor's form without JavaScript ---


def test_the_no_script_form_with_a_duplicated_cell_refuses_rather_than_picking_one(signed_in, edited):
    before = stored(edited)
    url = reverse("applications:section", args=[edited.pk, "industry"])
    response = signed_in.post(
        url,
        "version=1&industry_chain=%E7%94%B2&industry_chain=%E4%B9%99",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "提交了多个值" in response.content.decode()
    assert stored(edited) == before


# --- Every form that takes a POST: a duplicated key, unknown fields, wrong types ---
#
# Each case posts data that would be accepted as it stands, so that a field sent twice (both values
# valid on their own) is the only thing wrong: without the check the form would save the last value.


@dataclass
class FormPost:
    client: object
    url: str
    data: dict  # a complete, valid post
    rows: Callable  # -> every row the post could change, as dicts
    twice: str  # a single-valued field to send twice
    other: str  # a second valid value for it
    ok: int = 302  # the status of the valid post


def rows(*querysets):
    return [list(qs.order_by("pk").values()) for qs in querysets]


def _registration(request):
    client = request.getfixturevalue("client")
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
    return FormPost(
        client,
        reverse("accounts:register"),
        data,
        lambda: rows(Organisation.objects.all(), User.objects.all()),
        "name",
        "冒名单位",
    )


def _bureau_case(request, url_name, data, twice, other, visited=False):
    request.getfixturevalue("media")
    request.getfixturevalue("call")
    bureau = request.getfixturevalue("bureau")
    client = request.getfixturevalue("client")
    app = factories.submitted_application("150200")
    if visited:
        photos = [factories.upload("a.png")]
        initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "属实。", photos)
    client.force_login(bureau)
    return FormPost(
        client,
        reverse(url_name, args=[app.pk]),
        data,
        lambda: rows(
            Application.objects.filter(pk=app.pk),
            SiteVisit.objects.filter(application=app),
            Recommendation.objects.filter(application=app),
            Transition.objects.filter(application=app),
        ),
        twice,
        other,
    )


def _site_visit(request):
    data = {"visited_on": timezone.localdate().isoformat(), "people": "张伟、刘芳", "findings": "现场数据属实。"}
    return _bureau_case(request, "reviews:site_visit", data, "findings", "另一段核实情况")


def _return(request):
    return _bureau_case(request, "reviews:return", {"reason": "请补充标准清单盖章件。"}, "reason", "另一个理由")


def _recommend(request):
    data = {"opinion": "同意推荐。", "sealed_file": factories.upload("推荐文件.pdf")}
    return _bureau_case(request, "reviews:recommend", data, "opinion", "另一段意见", visited=True)


def _declaration(request):
    under_review = request.getfixturevalue("under_review")
    expert = request.getfixturevalue("expert")
    client = request.getfixturevalue("client")
    client.force_login(expert)
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    return FormPost(
        client,
        reverse("reviews:expert_declare", args=[review.pk]),
        {"choice": "none", "statement": ""},
        lambda: rows(ExpertReview.objects.filter(pk=review.pk), Application.objects.filter(pk=under_review.pk)),
        "choice",
        "conflict",
    )


def _scored(request):
    """An application whose one expert has submitted: 待决定, with the 自治区 signed in."""
    app = request.getfixturevalue("under_review")
    expert = request.getfixturevalue("expert")
    review = ExpertReview.objects.get(application=app, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    _, sheet = experts.submit_sheet(review, expert, full_sheet(app))
    assert not sheet.errors
    app.refresh_from_db()
    return app


def full_sheet(app, **overrides):
    data = {f"score_{d.key}": str(d.weight - 2) for d in app.call.schema.rubric}
    data.update({f"comment_{d.key}": f"{d.title}较好。" for d in app.call.schema.rubric})
    data["opinion"] = "建议支持。"
    data.update(overrides)
    return data


def _decision(request):
    app = _scored(request)
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue("department"))
    starts = timezone.localdate() + timedelta(days=1)
    data = {
        "outcome": "support",
        "amount": "300.50",
        "publicity_starts": f"{starts:%Y-%m-%d}",
        "publicity_ends": f"{starts + timedelta(days=7):%Y-%m-%d}",
        "reason": "",
    }
    return FormPost(
        client,
        reverse("reviews:decide", args=[app.pk]),
        data,
        lambda: rows(Application.objects.filter(pk=app.pk), Decision.objects.filter(application=app)),
        "amount",
        "9999.00",
    )


def _score_sheet(request):
    app = request.getfixturevalue("under_review")
    expert = request.getfixturevalue("expert")
    client = request.getfixturevalue("client")
    review = ExpertReview.objects.get(application=app, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    client.force_login(expert)
    first = next(iter(app.call.schema.rubric)).key
    return FormPost(
        client,
        reverse("reviews:expert_review", args=[review.pk]),
        full_sheet(app, action="submit"),
        lambda: rows(ExpertReview.objects.filter(pk=review.pk), Application.objects.filter(pk=app.pk)),
        f"score_{first}",
        "0",
    )


def _staff_account(request):
    client = request.getfixturevalue("client")
    client.force_login(factories.user(Role.SYSTEM_ADMIN))
    data = {
        "username": "chifeng01",
        "full_name": "赤峰审核员",
        "role": Role.BUREAU,
        "region": Region.objects.get(code="150400").pk,
        "affiliation": "",
        "mobile": "13904760001",
        "email": "cf@example.com",
    }
    return FormPost(
        client,
        reverse("accounts:account_create"),
        data,
        lambda: rows(User.objects.all()),
        "role",
        Role.EXPERT,
        ok=200,
    )


FORM_POSTS = {
    "registration": _registration,
    "site-visit": _site_visit,
    "return": _return,
    "recommend": _recommend,
    "expert-declaration": _declaration,
    "score-sheet": _score_sheet,
    "region-decision": _decision,
    "staff-account-create": _staff_account,
}


def rewound(data):
    """`data` with any uploaded file rewound, so the same dict can be posted again."""
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return data


@pytest.mark.parametrize("name", FORM_POSTS)
def test_a_single_valued_field_sent_twice_is_refused_next_to_it_and_nothing_changes(request, db, name):
    case = FORM_POSTS[name](request)
    before = case.rows()
    data = {**case.data, case.twice: [case.data[case.twice], case.other]}
    response = case.client.post(case.url, rewound(data))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert DUPLICATED in html
    field_error = re.search(r'<p class="field-error"[^>]*>[^<]*提交了多个值', html) or re.search(
        rf'id="[^"]*{case.twice}[^"]*_error"[^>]*>[^<]*提交了多个值', html
    )
    assert field_error or "errorlist" in html, "the message is not shown with the field"
    assert case.rows() == before
    # The same post with the field once is accepted: the refusal above was the duplicate, nothing else.
    response = case.client.post(case.url, rewound(case.data))
    assert response.status_code == case.ok, response.content.decode()[:2000]
    assert case.rows() != before


def test_multi_valued_fields_are_not_refused_for_having_several_values(db):
    class Ticks(ShenbaoForm):
        choices = forms.MultipleChoiceField(label="多选", choices=[("a", "A"), ("b", "B")])
        one = forms.CharField(label="单项")

    both = QueryDict("choices=a&choices=b&one=x")
    assert Ticks(both).is_valid()
    form = Ticks(QueryDict("choices=a&one=x&one=y"))
    assert not form.is_valid() and form.errors["one"] == [DUPLICATED]
    assert "one" not in form.cleaned_data  # neither value reaches clean() or the model


def test_every_form_that_takes_a_post_refuses_duplicates():
    """The POST forms are all ShenbaoForms (or read their fields through the same rule, like the score sheet)."""
    from accounts.views.two_factor import CodeForm
    from authoring.forms import CallGuideForm, CallWindowForm, CopyCallForm, RevisionUploadForm
    from regions.forms import RegionForm
    from reviews import expert_forms, region_forms
    from reviews import forms as review_forms
    from security.forms import SecurityPolicyForm

    posted = [
        RegistrationForm,
        OrganisationForm,
        RegistrationReviewForm,
        StaffAccountForm,
        LoginForm,
        CodeForm,
        CallWindowForm,
        CallGuideForm,
        CopyCallForm,
        RevisionUploadForm,
        RegionForm,
        SecurityPolicyForm,
        review_forms.SiteVisitForm,
        review_forms.ReturnForm,
        review_forms.RecommendForm,
        expert_forms.DeclarationForm,
        region_forms.AssignForm,
        region_forms.DecisionForm,
        region_forms.StageDeadlineForm,
        region_forms.ExtensionForm,
    ]
    assert all(issubclass(form, ChineseMessagesMixin) for form in posted)


@pytest.mark.parametrize("name", ["registration", "site-visit", "staff-account-create"])
def test_unknown_fields_are_ignored_and_change_nothing_beyond_the_known_ones(request, db, name):
    case = FORM_POSTS[name](request)
    extra = {
        "status": "approved",
        "is_staff": "on",
        "is_superuser": "on",
        "role": "system_admin" if name != "staff-account-create" else case.data["role"],
        "organisation": "1",
        "application": "999",
        "recorded_by": "1",
        "password": "x",
        "csrfmiddlewaretoken": "forged",
        "字段": "值",
    }
    response = case.client.post(case.url, rewound({**extra, **case.data}))
    assert response.status_code == case.ok
    if name == "registration":
        org = Organisation.objects.get(credit_code=case.data["credit_code"])
        account = User.objects.get(username=case.data["credit_code"])
        assert org.status == Organisation.Status.PENDING
        assert account.role == Role.APPLICANT and not account.is_staff and not account.is_superuser
    elif name == "staff-account-create":
        account = User.objects.get(username="chifeng01")
        assert account.role == Role.BUREAU and not account.is_staff and not account.is_superuser
        assert not account.check_password("x")
    else:
        visit = SiteVisit.objects.get()
        assert visit.findings == case.data["findings"] and visit.application.status != "approved"


@pytest.mark.parametrize(
    ("name", "field", "value", "message"),
    [
        ("site-visit", "visited_on", "下周一", "请按“年-月-日”填写核实日期"),
        ("site-visit", "visited_on", "2024-02-30", "请按“年-月-日”填写核实日期"),
        ("region-decision", "amount", "三百万", "金额"),
        ("region-decision", "publicity_starts", "明天", ""),
        ("staff-account-create", "region", "赤峰", ""),
        ("score-sheet", "score", "满分", ""),
        ("registration", "region", "abc", ""),
    ],
)
def test_text_in_a_number_date_or_choice_field_gets_a_chinese_message_by_it(request, db, name, field, value, message):
    case = FORM_POSTS[name](request)
    if name == "score-sheet":
        field = case.twice
    before = case.rows()
    response = case.client.post(case.url, rewound({**case.data, field: value}))
    assert response.status_code in (200, 400)
    html = response.content.decode()
    errors = _field_errors(response, field)
    assert errors, f"no message next to {field}"
    assert all(re.search(r"[\u4e00-\u9fff]", e) for e in errors), errors
    assert not any(re.search(r"[A-Za-z]{4,}", e) for e in errors), errors  # no English leaking through
    if message:
        assert any(message in e for e in errors), errors
    if field != "region":  # a <select> shows its choices, not the text sent
        assert value in html  # what was typed is shown again, not lost
    if name == "score-sheet":
        # The sheet's own rule (reviews.experts): the valid scores are kept as 暂存, the bad one is not
        # stored and the sheet is not submitted.
        review = ExpertReview.objects.get(pk=re.search(r"/(\d+)/?$", case.url.rstrip("/")).group(1))
        assert review.status == ExpertReview.Status.SCORING and field.removeprefix("score_") not in review.scores
    else:
        assert case.rows() == before


def _field_errors(response, field):
    form = response.context.get("form") if response.context else None
    if form is not None and hasattr(form, "errors"):
        return [str(e) for e in form.errors.get(field, [])]
    sheet = response.context["sheet"]
    return [r.score_error for r in sheet.rows if f"score_{r.key}" == field and r.score_error]
