"""The 自治区's call pages: copy, guide, window, upload, preview, compare, publish — what an official sees."""

from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from authoring.tests.conftest import NEW_LABEL, edited, relabel_area, xlsx
from calls.models import Call
from tests import factories
from tests.pdf import pdf_text

DATETIME = "%Y-%m-%dT%H:%M"


@pytest.fixture
def official(client, department):
    client.force_login(department)
    return client


def _window(call, **overrides):
    return {
        "applicant_opens_at": timezone.localtime(call.applicant_opens_at).strftime(DATETIME),
        "applicant_closes_at": timezone.localtime(call.applicant_closes_at).strftime(DATETIME),
        **overrides,
    }


def test_the_call_list_offers_each_call_and_copying(official, call):
    page = official.get(reverse("authoring:list")).content.decode()
    assert call.name in page and "复制新建批次" in page and "第 1 版" in page


def test_copying_a_call_makes_next_years_call_unpublished_with_years_shifted(official, call):
    response = official.post(
        reverse("authoring:copy"), {"source": call.pk, "year": 2025, "code": "cluster-2025", "number_prefix": ""}
    )
    new = Call.objects.get(code="cluster-2025")
    assert response.url == reverse("authoring:call", args=["cluster-2025"])
    assert new.name == "2025年内蒙古自治区先进制造业集群申报" and not new.is_published and new.copied_from == call
    assert "2025年新认定的国家级、自治区级先进制造业集群" in new.guide_text
    assert new.current_revision is None and new.revisions.get().origin.endswith("年份顺延1年")
    assert new.revisions.get().schema_at(2025).years == (2022, 2023, 2024)
    assert AuditEntry.objects.get(action="call_create").detail["copied_from"] == call.code


def test_the_copy_form_prefills_the_next_year_from_the_chosen_call(official, call):
    page = official.get(reverse("authoring:copy") + f"?from={call.pk}").content.decode()
    assert 'value="2025"' in page and 'value="cluster-2025"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "cluster-2024"}, "code", "已被使用"),
        ({"code": "二〇二五"}, "code", "只能包含英文字母"),
        ({"year": "1999"}, "year", "2000 至 2100"),
        ({"number_prefix": "项目"}, "number_prefix", "只能是 1–6 个英文字母"),
    ],
)
def test_a_wrong_copy_is_refused_next_to_its_field_with_a_summary(official, call, overrides, field, message):
    data = {"source": call.pk, "year": 2025, "code": "cluster-2025", **overrides}
    response = official.post(reverse("authoring:copy"), data)
    page = response.content.decode()
    assert response.status_code == 200 and message in response.context["form"].errors[field][0]
    assert 'class="error-summary"' in page and f'href="#id_{field}"' in page
    assert Call.objects.count() == 1


def test_the_window_is_saved_and_audited(official, call):
    closes = timezone.localtime(call.applicant_closes_at + timedelta(days=2)).replace(second=0, microsecond=0)
    response = official.post(
        reverse("authoring:window", args=[call.code]), _window(call, applicant_closes_at=closes.strftime(DATETIME))
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.applicant_closes_at == closes
    assert "applicant_closes_at" in AuditEntry.objects.get(action="call_change").detail["changes"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"applicant_closes_at": "2020-01-01T00:00"}, "applicant_closes_at", "申报截止时间须晚于申报开始时间。"),
        ({"applicant_opens_at": ""}, "applicant_opens_at", "已发布的批次须有申报开始时间。"),
        ({"applicant_closes_at": "2099-01-01T00:00"}, "applicant_closes_at", "不能晚于盟市推荐截止时间"),
    ],
)
def test_an_impossible_window_is_refused_next_to_the_field(official, call, overrides, field, message):
    response = official.post(reverse("authoring:window", args=[call.code]), _window(call, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not AuditEntry.objects.filter(action="call_change").exists()


def test_once_applicants_started_the_window_opens_no_later(official, call):
    factories.application(call=call)
    later = timezone.localtime(call.applicant_opens_at + timedelta(days=1)).strftime(DATETIME)
    response = official.post(reverse("authoring:window", args=[call.code]), _window(call, applicant_opens_at=later))
    assert "申报开始时间不能晚于原定的" in response.context["form"].errors["applicant_opens_at"][0]


def test_the_guide_is_edited_and_audited_by_its_hash(official, call):
    data = {
        "name": call.name,
        "guide_title": call.guide_title,
        "guide_text": call.guide_text + "\n补充说明。",
        "number_prefix": "",
    }
    assert official.post(reverse("authoring:guide", args=[call.code]), data).status_code == 302
    change = AuditEntry.objects.get(action="call_change").detail["changes"]["guide_text"]
    assert change["new"]["chars"] == len(call.guide_text) + 6 and len(change["new"]["sha256"]) == 64


def test_an_upload_with_errors_lists_each_at_its_sheet_and_row_and_keeps_nothing(official, call):
    def broken(sheet):
        sheet.set("字段", "字段代码", "area", "类型", "小树")
        sheet.set("字段", "字段代码", "output", "必填", "也许")

    content = edited(call.current_revision, broken)
    response = official.post(reverse("authoring:upload", args=[call.code]), {"file": xlsx(content)})
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("工作表“字段”第") == 2 and "小树" in page and "也许" in page
    assert 'class="error-summary"' in page
    assert call.revisions.count() == 1


def test_an_uploaded_fieldsheet_becomes_a_revision_to_preview_compare_and_publish(official, call):
    response = official.post(
        reverse("authoring:upload", args=[call.code]), {"file": xlsx(edited(call.current_revision, relabel_area))}
    )
    assert response.url == reverse("authoring:call", args=[call.code])
    page = official.get(response.url).content.decode()
    assert "第 2 版" in page and "未发布" in page and "与当前版本对比" in page

    preview = official.get(reverse("authoring:preview", args=[call.code, 2])).content.decode()
    assert NEW_LABEL in preview and "十、" not in preview
    assert all(heading in preview for heading in ("申报基本条件", "一、基本情况", "七、未来三年先进制造业集群发展规划"))
    sample = official.get(reverse("authoring:preview", args=[call.code, 2]) + "?sample=1").content.decode()
    assert "示例内容" in sample

    compare = official.get(reverse("authoring:compare", args=[call.code]) + "?from=1&to=2").content.decode()
    assert NEW_LABEL in compare and "集群占地面积（平方公里）" in compare and "标签" in compare

    confirm = official.get(reverse("authoring:publish", args=[call.code, 2])).content.decode()
    assert "确认发布第 2 版" in confirm and "没有需要切换的草稿" in confirm
    done = official.post(reverse("authoring:publish", args=[call.code, 2])).content.decode()
    assert "已发布申报书结构第 2 版" in done
    call.refresh_from_db()
    assert call.current_revision.number == 2


def test_the_preview_documents_are_pdfs_marked_as_previews(official, call):
    response = official.get(reverse("authoring:preview_pdf", args=[call.code, 1, "performance"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "预览" in text and "项目支出绩效目标表" in text and "验证码" not in text


def test_a_document_the_call_does_not_print_is_not_found(official, call, department):
    from authoring import editing
    from calls.schema.loader import schema_file

    example = editing.create_call(
        department,
        code="example",
        name="示例",
        year=2025,
        guide_title="示例指南",
        guide_text="示例",
        source=schema_file("enterprise_project_example"),
        origin="test",
    )
    assert official.get(reverse("authoring:preview_pdf", args=[example.code, 1, "performance"])).status_code == 404
    assert official.get(reverse("authoring:preview_pdf", args=[example.code, 1, "report"])).status_code == 200


def test_the_fieldsheet_and_yaml_download_give_the_revision(official, call):
    yaml = official.get(reverse("authoring:download", args=[call.code, 1, "yaml"]))
    assert yaml.content.decode() == call.current_revision.source
    workbook = official.get(reverse("authoring:download", args=[call.code, 1, "xlsx"]))
    assert workbook.content.startswith(b"PK") and "字段表" in unquote(workbook["Content-Disposition"])
    assert official.get(reverse("authoring:download", args=[call.code, 1, "pdf"])).status_code == 404
    assert official.get(reverse("authoring:download", args=[call.code, 9, "yaml"])).status_code == 404
