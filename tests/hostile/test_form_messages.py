"""Every form in the project, fed hostile values field by field: every message is Chinese, names what to fix,
and neither echoes what was sent nor slips into English (issue 19: "This password is too short…",
"不允许是用空字符串。" for a NUL, stock wording for a long name or an unknown 盟市).

The forms are found by importing every module of the project, so a form added later is walked too: the test
fails until it is given a constructor below.
"""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import RequestFactory

from accounts.models import Role
from regions.models import Region
from shenbao.lib.forms import ChineseFieldMessagesMixin
from tests import factories

HOSTILE = {
    "empty": "",
    "blank": "   ",
    "nul": "\x00",
    "nul inside": "稀土\x00集群",
    "page break": "稀土\x0c集群",
    "bell": "\x07",
    "ten thousand": "长" * 10_000,
    "english": "unknown value here",
    "negative": "-1",
    "overflowing number": "9" * 30,
    "float": "1e999",
    "impossible date": "2024-02-30",
    "markup": "<script>alert(1)</script>",
}
# The value's own text must not come back in a message (a 10,000-character value did, as did a choice's).
ECHOES = {"ten thousand": "长" * 50, "english": "unknown value", "markup": "<script>"}
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}\b")  # three English words in a row
STOCK = ("不允许是用空字符串", "这个字段是必填项", "选择一个有效的选项", "确保该变量", "输入一个有效的", "输入整数")


def project_form_classes():
    """Every form class defined in the project's own apps (not Django's, not the tests')."""
    found = {}
    for app in settings.INSTALLED_APPS:
        root = Path(settings.BASE_DIR, *app.split("."))
        if "." in app or not (root / "__init__.py").exists():
            continue
        for module in pkgutil.walk_packages([str(root)], prefix=f"{app}."):
            if ".tests" in module.name or ".migrations" in module.name or ".management" in module.name:
                continue
            loaded = importlib.import_module(module.name)
            for name, value in vars(loaded).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == loaded.__name__
                    and not name.startswith("Base")
                ):
                    found[f"{value.__module__}.{name}"] = value
    return found


def constructors(call, application, department):
    """How each form is made, as its view makes it (bound to `data`, `files`)."""
    from accounts.models import Organisation
    from security import policy

    request = RequestFactory().post("/accounts/login/")
    organisation = factories.organisation(status=Organisation.Status.REJECTED)
    region = Region.objects.get(code="150200")
    return {
        "accounts.forms.LoginForm": lambda cls, d, f: cls(request, d),
        "applications.views.submission.RevisionNoteForm": lambda cls, d, f: cls(d),
        "accounts.forms.ShenbaoPasswordChangeForm": lambda cls, d, f: cls(department, d),
        "accounts.forms.OrganisationForm": lambda cls, d, f: cls(d, instance=organisation),
        "accounts.forms.RegistrationForm": lambda cls, d, f: cls(d),
        "accounts.forms.RegistrationReviewForm": lambda cls, d, f: cls(d),
        "accounts.forms.StaffAccountForm": lambda cls, d, f: cls(d),
        "accounts.views.two_factor.CodeForm": lambda cls, d, f: cls(d),
        "accounts.views.two_factor.LoginCodeForm": lambda cls, d, f: cls(d),
        "accounts.views.two_factor.ReplaceForm": lambda cls, d, f: cls(d),
        "audit.forms.AuditFilterForm": lambda cls, d, f: cls(d),
        "authoring.forms.CallGuideForm": lambda cls, d, f: cls(d, instance=call),
        "authoring.forms.CallWindowForm": lambda cls, d, f: cls(d, instance=call),
        "authoring.forms.CopyCallForm": lambda cls, d, f: cls(d),
        "authoring.forms.RevisionUploadForm": lambda cls, d, f: cls(d, f),
        "dashboards.forms.DashboardFilterForm": lambda cls, d, f: cls(d, department),
        "documents.filters.CallForm": lambda cls, d, f: cls(d),
        "documents.filters.SummaryFilterForm": lambda cls, d, f: cls(d, department),
        "regions.forms.RegionForm": lambda cls, d, f: cls(d, instance=region),
        "reviews.expert_forms.DeclarationForm": lambda cls, d, f: cls(d),
        "reviews.draw_forms.DrawForm": lambda cls, d, f: cls(d, group_choices=application.call.applications.none()),
        "reviews.draw_forms.DeclineForm": lambda cls, d, f: cls(d),
        "reviews.draw_forms.LeaderForm": lambda cls, d, f: cls(d, experts=[department]),
        "reviews.pool_forms.ExpertForm": lambda cls, d, f: cls(d),
        "reviews.pool_forms.PoolFilterForm": lambda cls, d, f: cls(d),
        "reviews.pool_forms.ImportForm": lambda cls, d, f: cls(d, f),
        "reviews.pool_forms.PauseForm": lambda cls, d, f: cls(d),
        "reviews.objection_forms.ObjectionForm": lambda cls, d, f: cls(d, f),
        "reviews.objection_forms.AnswerForm": lambda cls, d, f: cls(d),
        "reviews.objection_forms.RevokeForm": lambda cls, d, f: cls(d),
        "reviews.region_forms.AssignForm": lambda cls, d, f: cls(d, application=application),
        "reviews.region_forms.DecisionForm": lambda cls, d, f: cls(d),
        "reviews.region_forms.StageDeadlineForm": lambda cls, d, f: cls(d, call=call),
        "reviews.region_forms.ExtensionForm": lambda cls, d, f: cls(d),
        "reviews.forms.InboxFilterForm": lambda cls, d, f: cls(d),
        "reviews.forms.SiteVisitForm": lambda cls, d, f: cls(d, f),
        "reviews.forms.ReturnForm": lambda cls, d, f: cls(d),
        "reviews.forms.RecommendForm": lambda cls, d, f: cls(d, f),
        "reviews.forms.CountersignForm": lambda cls, d, f: cls(d),
        "security.forms.SecurityPolicyForm": lambda cls, d, f: cls(d, instance=policy.editable()),
    }


def posted(form, value):
    """`value` in every field of `form` (its prefix included), and an empty upload in every file field."""
    data = QueryDict(mutable=True)
    files = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            files[key] = SimpleUploadedFile("附件.pdf", b"" if value == "" else value.encode("utf-8"))
        else:
            data[key] = value
    return data, files


def messages_of(form):
    return {(name, str(message)) for name, errors in form.errors.items() for message in errors}


@pytest.fixture
def every_form(db, call, draft, department):
    classes = project_form_classes()
    makers = constructors(call, draft, department)
    return {name: (cls, makers.get(name)) for name, cls in classes.items()}


def test_every_form_in_the_project_has_a_constructor_here(every_form):
    """A new form must be walked too: it fails here until it is added to `constructors`."""
    missing = [name for name, (_, make) in every_form.items() if make is None]
    assert not missing, f"add these forms to constructors(): {missing}"
    assert len(every_form) >= 28  # the walk finds the forms, not nothing


def test_every_form_takes_our_messages(every_form):
    assert all(issubclass(cls, ChineseFieldMessagesMixin) for cls, _ in every_form.values())


@pytest.mark.parametrize("value_name", HOSTILE)
def test_every_message_for_a_hostile_value_is_chinese_and_says_what_to_fix(every_form, value_name):
    value = HOSTILE[value_name]
    problems = []
    for form_name, (cls, make) in every_form.items():
        data, files = posted(make(cls, None, None), value)
        form = make(cls, data, files)
        form.is_valid()  # never raises: an id too large for the database is an answer, not an OverflowError
        for field, message in messages_of(form):
            where = f"{form_name}.{field} ← {value_name}: {message[:120]}"
            if not CJK.search(message):
                problems.append(f"not Chinese: {where}")
            if ENGLISH_SENTENCE.search(message):
                problems.append(f"English: {where}")
            if any(stock in message for stock in STOCK):
                problems.append(f"Django's stock sentence: {where}")
            if value_name in ECHOES and ECHOES[value_name] in message:
                problems.append(f"echoes the value: {where}")
            if len(message) > 200:
                problems.append(f"too long to read: {where}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("value_name", ["nul", "nul inside", "page break", "bell"])
def test_every_text_field_refuses_invisible_control_characters_by_name(every_form, value_name):
    """NUL (Django's check) and the other C0 controls (ours) in any text field: refused, with the field named.
    Tab, line feed and carriage return are text and pass (the next test)."""
    value = HOSTILE[value_name]
    checked = 0
    for form_name, (cls, make) in every_form.items():
        blank = make(cls, None, None)
        data, files = posted(blank, value)
        form = make(cls, data, files)
        form.is_valid()
        for name, field in blank.fields.items():
            if not isinstance(field, forms.CharField) or field.disabled:
                continue
            if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", field.to_python(value) or ""):
                continue  # the field removes it itself (a 信用代码 drops whitespace, \x0c included)
            checked += 1
            errors = [str(m) for m in form.errors.get(name, [])]
            label = re.sub(r"（[^（）]*）$", "", str(field.label))
            assert any(f"{label}含有不可见的控制字符" in e for e in errors), f"{form_name}.{name}: {errors}"
    assert checked >= 40  # the walk reached the text fields, not none


@pytest.mark.parametrize("text", ["稀土\t集群", "稀土\n集群", "稀土\r\n集群"])
def test_tabs_and_line_breaks_are_text_not_control_characters(db, text):
    from reviews.forms import ReturnForm

    form = ReturnForm({"reason": text})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_too_long_value_names_the_field_its_limit_and_its_length():
    from accounts.forms import RegistrationForm

    form = RegistrationForm({"name": "长" * 500, "address": "址" * 201})
    form.is_valid()
    assert form.errors["name"] == ["单位名称最多 100 个字，现为 500 个字，请删减后重新提交。"]
    assert form.errors["address"] == ["单位地址最多 200 个字，现为 201 个字，请删减后重新提交。"]


@pytest.mark.django_db
def test_a_sentence_the_form_or_model_wrote_is_kept_over_ours(security_admin_form_data):
    """Our sentences replace Django's only: the security policy's own range sentence (a model validator)
    and a form's own max_length sentence stay as written."""
    from reviews.forms import ReturnForm
    from security import policy
    from security.forms import SecurityPolicyForm

    form = SecurityPolicyForm({**security_admin_form_data, "idle_timeout_minutes": 31}, instance=policy.editable())
    assert not form.is_valid()
    assert form.errors["idle_timeout_minutes"] == ["请填写 5 至 30 之间的整数（单位：分钟），以符合等级保护三级要求。"]
    form = ReturnForm({"reason": "理" * 2001})
    assert form.errors["reason"] == ["退回理由不超过 2000 个字。"]


@pytest.fixture
def security_admin_form_data(db):
    from security import policy
    from security.models import SecurityPolicy

    current = policy.editable()
    return {name: getattr(current, name) for name in SecurityPolicy.POLICY_FIELDS}


def test_an_expert_id_no_database_can_hold_is_refused_not_a_server_error(client, department, recommended):
    """SQLite raised OverflowError on `IN (…)` with an id past 64 bits: a 500 from the 受理 page."""
    from django.urls import reverse

    client.force_login(department)
    response = client.post(reverse("reviews:accept", args=[recommended.pk]), {"experts": ["9" * 30]})
    assert response.status_code == 200
    assert "所选专家已分配或不是有效的评审专家账号" in response.content.decode()  # AssignForm's own sentence
    recommended.refresh_from_db()
    assert not recommended.expert_reviews.exists()


def test_staff_role_choices_are_named_in_the_role_message(db):
    from accounts.forms import StaffAccountForm

    form = StaffAccountForm({"role": Role.SYSTEM_ADMIN})  # an operator role is not offered here
    form.is_valid()
    assert form.errors["role"] == ["请从列表中选择角色。"]
