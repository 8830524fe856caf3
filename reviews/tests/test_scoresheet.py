"""The 专家评分表 (reviews/scoresheet.py): its content from ExpertReview rows, as XLSX and PDF."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from reviews import experts
from reviews.scoresheet import build, scoresheet_pdf, scoresheet_xlsx
from tests import factories
from tests.office import libreoffice_pdf, needs_office, outside_the_page, pages
from tests.pdf import pdf_info, pdf_text

SCORES = {"scale": "18.5", "innovation": "17", "digital": "12.5", "green": "13", "openness": "8", "planning": "16"}


def an_expert(name, region_code="150100", affiliation="内蒙古大学"):
    return factories.user(Role.EXPERT, region_code=region_code, affiliation=affiliation, full_name=name)


def submit(app, expert, scores, opinion):
    review = app.expert_reviews.get(expert=expert)
    experts.declare(review, expert, has_conflict=False)
    data = {f"score_{k}": v for k, v in scores.items()}
    data["comment_green"] = "碳排放监测机制已建立。"
    data["opinion"] = opinion
    experts.submit_sheet(review, expert, data)


@pytest.fixture
def scored(recommended, department, expert):
    """Two experts scored, one excluded by rule, one recused: 待决定."""
    second = an_expert("王秀兰", region_code="150300", affiliation="内蒙古科技大学")
    local = an_expert("包头专家", region_code="150200", affiliation="包头职业技术学院")
    recusing = an_expert("赵立新", region_code="150500", affiliation="通辽市发展研究中心")
    experts.assign(recommended, department, [expert, second, local, recusing])
    review = recommended.expert_reviews.get(expert=recusing)
    experts.declare(review, recusing, has_conflict=True, statement="曾为申报单位提供咨询。")
    submit(recommended, expert, SCORES, "集群基础扎实，建议支持。")
    submit(recommended, second, {**SCORES, "scale": "16"}, "规划目标偏高，建议细化。")
    recommended.refresh_from_db()
    return recommended


def rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def test_the_sheet_is_read_from_the_expert_reviews(scored, expert):
    sheet = build(scored)
    assert [line.name for line in sheet.scored] == [expert.full_name, "王秀兰"]
    assert sheet.scored[0].scores == tuple(Decimal(SCORES[d.key]) for d in sheet.dimensions)
    assert sheet.scored[0].total == Decimal("85.0")
    assert sheet.scored[1].total == Decimal("82.5")
    assert sheet.result.mean == Decimal("83.75") and not sheet.result.trimmed
    assert sheet.dimension_means[0] == Decimal("17.25")
    assert {line.name: line.status for line in sheet.not_scored} == {"包头专家": "excluded", "赵立新": "recused"}
    assert sheet.version_number == 1
    assert sheet.lead_region == "包头市" and sheet.organisation == scored.organisation.name


def test_the_xlsx_has_scores_as_numbers_and_every_part_of_the_sheet(client, scored, department, expert):
    client.force_login(department)
    response = client.get(reverse("reviews:scoresheet", args=[scored.pk, "xlsx"]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert quote(f"专家评分表-{scored.number}.xlsx") in response["Content-Disposition"]
    sheet = rows(response)
    assert sheet["A1"].value == "专家评分表"
    assert scored.number in sheet["A2"].value and "第1版" in sheet["A2"].value
    headings = [c.value for c in sheet[3]]
    assert headings[:3] == ["序号", "专家姓名", "工作单位"]
    assert headings[3] == "产业规模与集聚\n（满分 20 分）"
    assert headings[-2:] == ["总分", "签字"]

    first = [c for c in sheet[4]]
    assert first[1].value == expert.full_name and first[2].value == "内蒙古工业大学"
    assert first[3].value == 18.5 and isinstance(first[3].value, float)
    assert first[3].number_format == "0.0"
    assert first[9].value == 85 and first[9].number_format == "0.0"
    assert first[10].value is None  # the blank for the signature

    means = [c for c in sheet[6]]
    assert means[1].value == "各项平均分"
    assert means[3].value == 17.25 and means[3].number_format == "0.00"
    final = [c for c in sheet[7]]
    assert final[1].value == "最终得分" and final[9].value == 83.75 and final[9].number_format == "0.00"
    assert "共 2 名专家评分" in final[2].value

    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "规则回避：专家所在盟市（包头市）" in text
    assert "声明存在利益冲突：曾为申报单位提供咨询。" in text
    assert "集群基础扎实，建议支持。" in text and "绿色化：碳排放监测机制已建立。" in text


def test_the_pdf_is_searchable_chinese_with_every_expert_who_scored(client, scored, department, expert):
    client.force_login(department)
    response = client.get(reverse("reviews:scoresheet", args=[scored.pk, "pdf"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert quote(f"专家评分表-{scored.number}.pdf") in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    info = pdf_info(pdf)
    assert info["Title"].startswith("专家评分表") and info["Author"] == settings.PLATFORM_NAME
    assert info["Subject"].startswith(f"申报编号 {scored.number} · ") and info["Subject"].endswith("位专家已评分")
    text = pdf_text(pdf)
    for expected in ("专家评分表", expert.full_name, "王秀兰", scored.number, "签字", "83.75", "规则回避", "赵立新"):
        assert expected in text, expected


def test_a_sheet_with_five_scores_says_the_extremes_were_dropped(recommended, department):
    panel = [an_expert(f"专家{i}") for i in range(1, 6)]
    experts.assign(recommended, department, panel)
    for expert, scale in zip(panel, ("20", "18", "16", "14", "2"), strict=True):
        submit(recommended, expert, {**SCORES, "scale": scale}, "同意。")
    sheet = build(recommended)
    assert sheet.result.trimmed
    assert "去掉一个最高分和一个最低分" in sheet.aggregation_note
    text = pdf_text(scoresheet_pdf(sheet))
    assert "去掉一个最高分和一个最低分" in text


def test_a_sheet_before_anyone_scored_says_so(under_review):
    sheet = build(under_review)
    assert sheet.scored == [] and sheet.result.mean is None
    workbook = load_workbook(scoresheet_xlsx(sheet))
    assert "尚无专家提交评分。" in [c.value for row in workbook.active.iter_rows() for c in row]
    assert "尚无专家提交评分。" in pdf_text(scoresheet_pdf(sheet))


def test_an_expert_cannot_download_the_sheet_of_an_application_it_scores(client, scored, expert, bureau):
    for user in (expert, bureau):
        client.force_login(user)
        for fmt in ("xlsx", "pdf"):
            assert client.get(reverse("reviews:scoresheet", args=[scored.pk, fmt])).status_code in (403, 404)


@needs_office
def test_the_xlsx_prints_in_libreoffice_on_one_a4_landscape_page_with_every_score(scored, tmp_path):
    sheet = build(scored)
    printed = libreoffice_pdf(scoresheet_xlsx(sheet).read(), "专家评分表.xlsx", tmp_path)

    assert pdf_info(printed)["Page size"] == "841.89 x 595.304 pts (A4)"
    assert pages(printed) == 1
    assert outside_the_page(printed) == []
    text = pdf_text(printed)
    assert "18.5" in text and "83.75" in text and "集群基础扎实，建议支持。" in text
