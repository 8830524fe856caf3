"""公示, 异议 and 立项: the public page, the objection form and its throttle, the 自治区's answers, the gate
they put on 立项, and the documents (评审结果汇总表, 公示 text, 立项通知, 立项清单) opened for real."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document as read_docx

from applications import workflow
from applications.models import Status
from applications.workflow import WorkflowRefused
from audit.models import AuditEntry
from reviews import decisions, objections
from reviews.models import Decision, Objection
from reviews.tests.test_region_views import score
from tests import factories
from tests.pdf import pdf_text

CLUSTER = "包头稀土新材料产业集群"


@pytest.fixture
def publicising(under_review, expert, department):
    """`under_review`, scored 80 and supported with 300.00 万元; its 公示 runs from today for 7 days."""
    score(under_review, expert, 80)
    under_review.refresh_from_db()
    today = timezone.localdate()
    decisions.support(under_review, department, "300.00", today, today + timedelta(days=6))
    under_review.refresh_from_db()
    assert under_review.status == Status.PUBLICISING
    return under_review


def end_publicity(app):
    today = timezone.localdate()
    Decision.objects.filter(application=app).update(
        publicity_starts=today - timedelta(days=8), publicity_ends=today - timedelta(days=1)
    )


def objection_data(**changes):
    data = {
        "name": "王建国",
        "organisation": "包头市某稀土企业",
        "phone": "13904721234",
        "content": "申报的产值数据与统计口径不符。",
    }
    return {**data, **changes}


def send(client, app, **changes):
    return client.post(reverse("portal:objection", args=[app.number]), objection_data(**changes))


def title_of(app):
    return app.call.schema.title_of(app.latest_version.data)


# --- the public page ---


def test_the_public_page_needs_no_login_and_lists_what_a_publicity_publishes(client, publicising):
    response = client.get(reverse("portal:publicity"))
    assert response.status_code == 200
    text = response.content.decode()
    assert publicising.organisation.name in text and title_of(publicising) in text
    assert "300.00" in text and publicising.lead_region.name in text
    assert "内蒙古自治区工业和信息化厅" in text and "实名" in text
    assert reverse("portal:objection", args=[publicising.number]) in text
    assert "80.00" not in text and "周明远" not in text  # no score, no expert


def test_the_public_page_shows_only_applications_in_publicity(client, publicising, department, media):
    others = {
        "draft": factories.submitted_application("150500"),  # submitted then never moved: 待盟市初审
    }
    draft = factories.submitted_application("150400")
    draft.status = Status.DRAFT
    draft.save()
    for status in Status:
        if status == Status.PUBLICISING:
            continue
        app = factories.submitted_application("150300")
        app.status = status
        app.save()
        Decision.objects.create(
            application=app, version=app.latest_version, outcome="support", amount="1.00",
            publicity_starts=timezone.localdate(), publicity_ends=timezone.localdate(), decided_by=department,
        )  # fmt: skip
        others[status.value] = app
    # In 公示 but starting tomorrow: not public yet.
    later = factories.submitted_application("150600")
    later.status = Status.PUBLICISING
    later.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    Decision.objects.create(
        application=later, version=later.latest_version, outcome="support", amount="2.00",
        publicity_starts=tomorrow, publicity_ends=tomorrow + timedelta(days=6), decided_by=department,
    )  # fmt: skip
    text = client.get(reverse("portal:publicity")).content.decode()
    assert publicising.organisation.name in text
    for app in [*others.values(), draft, later]:
        assert app.organisation.name not in text, app.status
        assert client.get(reverse("portal:objection", args=[app.number])).status_code == 404


def test_hostile_text_is_escaped_on_the_public_page(client, publicising):
    organisation = publicising.organisation
    organisation.name = '<script>alert("x")</script>集群促进会'
    organisation.save()
    text = client.get(reverse("portal:publicity")).content.decode()
    assert '<script>alert("x")</script>' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;集群促进会" in text


# --- 异议 ---


def test_an_objection_is_recorded_audited_without_its_content_and_the_region_is_told(client, publicising, department):
    pdf = factories.upload("证明.pdf")
    response = client.post(
        reverse("portal:objection", args=[publicising.number]), {**objection_data(), "attachment": pdf}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:publicity")
    objection = Objection.objects.get(application=publicising)
    assert (objection.name, objection.phone, objection.file_type) == ("王建国", "13904721234", "pdf")
    entry = AuditEntry.objects.get(action="objection_submit")
    assert entry.detail == {"number": publicising.number, "content_chars": 15, "attachment": True}
    assert "王建国" not in str(entry.__dict__) and "产值" not in str(entry.__dict__)
    assert department.notifications.filter(title="公示收到异议，待答复").exists()


def test_a_wrong_objection_says_what_to_fix_beside_each_field_and_keeps_what_was_typed(client, publicising):
    response = send(client, publicising, name="", phone="12345", content="字" * (objections.CONTENT_MAX_CHARS + 1))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["name"] == ["请填写您的真实姓名（实名提出）。"]
    assert errors["phone"][0].startswith("联系电话格式不正确")
    assert errors["content"] == [f"异议内容不超过 {objections.CONTENT_MAX_CHARS} 字，现为 2001 字，请删减。"]
    text = response.content.decode()
    assert "error-summary" in text and "包头市某稀土企业" in text
    assert not Objection.objects.exists()


def test_an_objection_of_exactly_the_limit_is_taken(client, publicising):
    assert send(client, publicising, content="字" * objections.CONTENT_MAX_CHARS).status_code == 302


def test_an_attachment_is_checked_by_content_as_every_upload_is(client, publicising):
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("portal:objection", args=[publicising.number]), {**objection_data(), "attachment": fake}
    )
    assert response.status_code == 400
    assert "“附件”只接受" in response.context["form"].errors["attachment"][0]
    assert not Objection.objects.exists()


@override_settings(SHENBAO_OBJECTIONS_PER_HOUR=2)
def test_objections_are_throttled_per_address_at_the_limit(client, publicising):
    assert send(client, publicising).status_code == 302
    assert send(client, publicising).status_code == 302  # the limit itself is allowed
    refused = send(client, publicising, name="李四")
    assert refused.status_code == 429 and "Retry-After" in refused
    text = refused.content.decode()
    assert "本地址提交异议过于频繁" in text and "李四" in text  # what was typed stays
    assert Objection.objects.count() == 2
    send(client, publicising)
    assert AuditEntry.objects.filter(action="objection_throttled").count() == 1  # one per window
    other = client.post(
        reverse("portal:objection", args=[publicising.number]), objection_data(), REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 302  # another address counts on its own


def test_objections_need_the_csrf_token(publicising):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("portal:objection", args=[publicising.number]), objection_data()).status_code == 403
    assert not Objection.objects.exists()


def test_objections_are_refused_once_the_period_is_over(client, publicising):
    end_publicity(publicising)
    response = send(client, publicising)
    assert response.status_code == 400 and not Objection.objects.exists()
    assert "公示期已结束" in client.get(reverse("portal:publicity")).content.decode()


# --- answers and the gate on 立项 ---


def an_objection(app):
    return objections.submit(app, name="王建国", organisation="个人", phone="13904721234", content="数据不实。")


def test_an_unanswered_objection_blocks_establishing(client, publicising, department):
    objection = an_objection(publicising)
    end_publicity(publicising)
    publicising.refresh_from_db()
    assert workflow.refusal(department, publicising, "establish") == "公示期间收到的 1 条异议尚未答复，答复后才能立项。"
    with pytest.raises(WorkflowRefused):
        decisions.establish(publicising, department)
    client.force_login(department)
    text = client.get(reverse("reviews:decide", args=[publicising.pk])).content.decode()
    assert "尚未答复" in text and "公示期满立项</button>" not in text
    assert "王建国" in text and "数据不实。" in text  # the 自治区 reads who objected and why

    response = client.post(
        reverse("reviews:answer_objection", args=[publicising.pk, objection.pk]),
        {
            f"answer-{objection.pk}-result": "dismissed",
            f"answer-{objection.pk}-response": "经核实，数据与统计年鉴一致。",
        },
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.is_answered and objection.result == "dismissed"
    entry = AuditEntry.objects.get(action="objection_answer")
    assert entry.detail == {"number": publicising.number, "result": "dismissed", "response_chars": 14}
    assert workflow.refusal(department, publicising, "establish") is None
    decisions.establish(publicising, department)
    publicising.refresh_from_db()
    assert publicising.status == Status.APPROVED


def test_an_answer_needs_a_result_and_an_opinion(client, publicising, department):
    objection = an_objection(publicising)
    client.force_login(department)
    response = client.post(reverse("reviews:answer_objection", args=[publicising.pk, objection.pk]), {})
    assert response.status_code == 400
    assert "请选择核实结果：成立或不成立。" in response.content.decode()
    objection.refresh_from_db()
    assert not objection.is_answered


def test_an_objection_found_upheld_turns_establishing_into_not_supporting(client, publicising, department):
    objection = an_objection(publicising)
    objections.answer(objection, department, "upheld", "经核实，申报产值虚报。")
    end_publicity(publicising)
    publicising.refresh_from_db()
    assert workflow.refusal(department, publicising, "establish").startswith("有异议经核实成立")
    client.force_login(department)
    text = client.get(reverse("reviews:decide", args=[publicising.pk])).content.decode()
    assert "异议成立，不予支持" in text
    response = client.post(
        reverse("reviews:revoke", args=[publicising.pk]), {"reason": "公示期间异议成立，申报产值虚报。"}
    )
    assert response.status_code == 302
    publicising.refresh_from_db()
    assert publicising.status == Status.NOT_SUPPORTED
    decision = Decision.objects.get(application=publicising)
    assert not decision.supports and decision.reason == "公示期间异议成立，申报产值虚报。"
    assert publicising.transitions.order_by("-pk").first().action == "revoke"


def test_not_supporting_during_publicity_needs_an_objection_found_upheld(publicising, department):
    assert workflow.refusal(department, publicising, "revoke") == "只有公示期间的异议经核实成立，才能改为不予支持。"
    objection = an_objection(publicising)
    objections.answer(objection, department, "dismissed", "不成立。")
    assert workflow.refusal(department, publicising, "revoke") is not None


def test_an_objection_is_answered_once(publicising, department):
    objection = an_objection(publicising)
    objections.answer(objection, department, "dismissed", "不成立。")
    with pytest.raises(WorkflowRefused, match="已经答复"):
        objections.answer(objection, department, "upheld", "改为成立。")


# --- documents ---


def docx_text(content):
    doc = read_docx(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_results_list_has_every_scored_application_with_scores_rank_amount_and_dates(
    client, publicising, department
):
    client.force_login(department)
    code = publicising.call.code
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(reverse("reviews:results", args=[code, "xlsx"])).streaming_content))
    )
    sheet = workbook.active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2024年内蒙古自治区先进制造业集群项目评审结果汇总表"
    headings = rows[2]
    assert headings[:5] == ["排名", "申报编号", "申报单位", "集群名称", "牵头盟市"]
    assert headings[5:] == ["专家1总分", "最终得分", "状态", "拟支持金额（万元）", "公示期"]
    row = dict(zip(headings, rows[3], strict=True))
    assert row["申报编号"] == publicising.number and row["排名"] == 1
    assert row["专家1总分"] == Decimal("80.0") and row["最终得分"] == Decimal("80.00")
    assert row["拟支持金额（万元）"] == Decimal("300.00") and row["状态"] == "公示中"
    today = timezone.localdate()
    assert row["公示期"] == f"{today:%Y-%m-%d} 至 {today + timedelta(days=6):%Y-%m-%d}"
    for fmt in ("pdf", "docx"):
        content = b"".join(client.get(reverse("reviews:results", args=[code, fmt])).streaming_content)
        text = pdf_text(content) if fmt == "pdf" else docx_text(content)
        assert publicising.number in text and "300.00" in text and "80.00" in text, fmt
    assert AuditEntry.objects.filter(action="export", object_type="review_results").count() == 3


def test_results_rank_equal_scores_equally():
    from reviews.results import _ranks

    assert _ranks([Decimal(80), Decimal(90), Decimal(80), None, Decimal(70)]) == [2, 1, 2, None, 4]


def test_the_publicity_text_exports_as_docx_with_the_list_and_the_objection_contact(client, publicising, department):
    client.force_login(department)
    response = client.get(reverse("reviews:publicity_text", args=[publicising.call.code, "docx"]))
    text = docx_text(b"".join(response.streaming_content))
    assert "关于2024年内蒙古自治区先进制造业集群项目拟支持名单的公示" in text
    assert publicising.organisation.name in text and "300.00" in text and "匿名" in text


def test_establishing_produces_a_notice_for_the_region_and_that_applicant_only(client, publicising, department):
    end_publicity(publicising)
    decisions.establish(publicising, department)
    url = reverse("reviews:notice", args=[publicising.pk, "pdf"])
    client.force_login(publicising.created_by)
    text = pdf_text(b"".join(client.get(url).streaming_content))
    assert "立项通知" in text and publicising.organisation.name in text and "300.00" in text
    assert (
        reverse("reviews:notice", args=[publicising.pk, "pdf"])
        in client.get(reverse("applications:overview", args=[publicising.pk])).content.decode()
    )
    client.force_login(department)
    docx = docx_text(b"".join(client.get(reverse("reviews:notice", args=[publicising.pk, "docx"])).streaming_content))
    assert "现予立项" in docx and publicising.number in docx
    other = factories.user(publicising.created_by.role, region_code="150200")
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_no_notice_before_establishing(client, publicising, department):
    client.force_login(department)
    assert client.get(reverse("reviews:notice", args=[publicising.pk, "pdf"])).status_code == 404


def test_the_establishment_list_has_every_established_application_and_the_total(client, publicising, department):
    end_publicity(publicising)
    decisions.establish(publicising, department)
    client.force_login(department)
    code = publicising.call.code
    content = b"".join(client.get(reverse("reviews:establishment_list", args=[code, "xlsx"])).streaming_content)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()]
    assert rows[2] == ["序号", "申报编号", "申报单位", "集群名称", "牵头盟市", "奖补资金（万元）", "立项日期"]
    assert rows[3][1] == publicising.number and rows[3][5] == Decimal("300.00")
    assert rows[4][1] == "合计" and rows[4][5] == Decimal("300.00")
    text = pdf_text(b"".join(client.get(reverse("reviews:establishment_list", args=[code, "pdf"])).streaming_content))
    assert "立项清单" in text and publicising.number in text and "300.00" in text
