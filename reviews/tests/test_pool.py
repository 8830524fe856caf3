"""The 专家库: the 自治区's list, add/edit, 暂停/恢复, Excel import (all or nothing, per-row report) and export."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role, User
from audit.models import AuditEntry
from reviews import pool
from reviews.models import ExpertProfile
from reviews.pool_excel import HEADINGS
from tests import factories

pytestmark = pytest.mark.django_db

TIE = factories.credit_code("150200")


def _post_data(**changes):
    data = {
        "full_name": "高志强",
        "affiliation": "内蒙古科技大学",
        "region": "",
        "title": "教授",
        "expertise": ["rare_earth", "new_materials"],
        "mobile": "13904711234",
        "email": "gao@example.com",
        "status": "available",
        "ties": f"{TIE} 包头稀土产业促进会",
        "note": "",
    }
    data.update(changes)
    return data


def test_department_adds_an_expert_who_gets_an_account_and_a_profile(client, department, mailoutbox):
    client.force_login(department)
    response = client.post(reverse("reviews:pool_add"), _post_data())
    assert response.status_code == 302
    expert = User.objects.get(username="13904711234")
    assert expert.role == Role.EXPERT and expert.must_change_password
    profile = expert.expert_profile
    assert profile.fields == ["new_materials", "rare_earth"]  # taxonomy order
    assert [(t.credit_code, t.name) for t in profile.ties.all()] == [(TIE, "包头稀土产业促进会")]
    entry = AuditEntry.objects.get(action="expert_pool_add")
    assert entry.detail == {"fields": 2, "ties": 1, "status": "available"}


def test_a_wrong_tie_and_no_field_are_told_by_the_field_and_keep_what_was_typed(client, department):
    client.force_login(department)
    data = _post_data(expertise=[], ties="91150200MA0000000X 某公司\n")
    response = client.post(reverse("reviews:pool_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请至少选择一个专业领域。" in page
    assert "关联单位第 1 行：" in page
    assert "内蒙古科技大学" in page
    assert not User.objects.filter(username="13904711234").exists()


def test_mobile_already_a_login_name_is_refused(client, department):
    factories.user(Role.BUREAU, username="13904711234")
    client.force_login(department)
    response = client.post(reverse("reviews:pool_add"), _post_data())
    assert "已用作其他账号的登录名" in response.content.decode()


def test_pause_needs_a_reason_and_resume_restores(client, department):
    expert = factories.expert("150100")
    client.force_login(department)
    url = reverse("reviews:pool_status", args=[expert.pk])
    client.post(url, {"action": "pause", "reason": ""})
    assert ExpertProfile.objects.get(expert=expert).status == "available"
    client.post(url, {"action": "pause", "reason": "出国访学"})
    assert ExpertProfile.objects.get(expert=expert).is_paused
    client.post(url, {"action": "resume"})
    assert not ExpertProfile.objects.get(expert=expert).is_paused
    assert AuditEntry.objects.filter(action__in=["expert_pause", "expert_resume"]).count() == 2


def test_list_filters_by_text_field_region_and_status(client, department):
    a = factories.expert("150100", fields=["rare_earth"], full_name="稀土专家", affiliation="包钢集团")
    b = factories.expert("150500", fields=["agri_food"], full_name="乳业专家", status="paused")
    client.force_login(department)
    url = reverse("reviews:pool")

    def names(**query):
        return {row["expert"].full_name for row in client.get(url, query).context["rows"]}

    assert names() >= {a.full_name, b.full_name}
    assert names(q="包钢") == {a.full_name}
    assert names(field="agri_food") == {b.full_name}
    assert names(region=a.region_id) == {a.full_name}
    assert names(status="paused") == {b.full_name}


def test_only_the_department_manages_the_pool(client):
    for role in (Role.BUREAU, Role.EXPERT, Role.SYSTEM_ADMIN):
        client.force_login(factories.user(role))
        assert client.get(reverse("reviews:pool")).status_code == 403
    with pytest.raises(pool.PoolRefused):
        pool.set_paused(factories.user(Role.BUREAU), factories.expert(), True, "x")


def _workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["专家库"])
    sheet.append(list(HEADINGS))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("专家库.xlsx", out.getvalue())


GOOD = ["李红", "内蒙古大学", "呼和浩特市", "教授", "稀土、产业经济/财务", "13904710001", "", "可用", "", ""]


def test_import_creates_and_updates_by_mobile(client, department):
    existing = factories.expert("150100", mobile="13904710002", username="13904710002", full_name="旧名")
    client.force_login(department)
    rows = [GOOD, ["王刚", "包钢集团", "", "正高级工程师", "冶金", "13904710002", "", "暂停", f"{TIE} 某促进会", ""]]
    response = client.post(reverse("reviews:pool_import"), {"file": _workbook(rows)})
    assert response.status_code == 302
    new = User.objects.get(username="13904710001")
    assert new.expert_profile.fields == ["rare_earth", "economics"]
    existing.refresh_from_db()
    assert existing.full_name == "王刚" and existing.expert_profile.is_paused
    assert existing.expert_profile.ties.get().credit_code == TIE
    assert AuditEntry.objects.get(action="expert_pool_import").detail == {"created": 1, "updated": 1}


def test_import_with_one_wrong_row_imports_nothing_and_names_each_wrong_cell(client, department):
    client.force_login(department)
    bad = ["赵敏", "", "包头", "教授", "稀土、火箭", "1390471", "", "可用", "", ""]
    response = client.post(reverse("reviews:pool_import"), {"file": _workbook([GOOD, bad])})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any(p.startswith("第 4 行“专业领域”：没有这个专业领域：火箭") for p in problems)
    assert any(p.startswith("第 4 行“所在盟市”：没有这个盟市：包头") for p in problems)
    assert any(p.startswith("第 4 行“工作单位”") for p in problems)
    assert any(p.startswith("第 4 行“手机号码”") for p in problems)
    assert not User.objects.filter(username="13904710001").exists()


def test_import_refuses_a_file_that_is_not_a_workbook(client, department):
    client.force_login(department)
    upload = SimpleUploadedFile("x.xlsx", b"not a zip")
    response = client.post(reverse("reviews:pool_import"), {"file": upload})
    assert "无法读取这个文件" in response.content.decode()


def test_export_keeps_formula_like_text_as_text_and_imports_back(client, department):
    factories.expert("150100", full_name="=HYPERLINK(1)", mobile="13904710003", ties=[(TIE, "+某单位")])
    client.force_login(department)
    response = client.get(reverse("reviews:pool_export"))
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value}
    assert cells["=HYPERLINK(1)"].data_type == "s"
    assert AuditEntry.objects.filter(action="export", object_type="expertprofile").exists()
    response = client.post(reverse("reviews:pool_import"), {"file": SimpleUploadedFile("a.xlsx", content)})
    assert response.status_code == 302
