"""The 申请报告 and 绩效目标表 in PDF and DOCX carry the guide's words and the record's figures, sealed by code."""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command

from applications import demo, submission
from calls.schema.model import PERFORMANCE, REPORT
from documents import application_report, performance_table
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.record import format_code, record_of
from tests.pdf import pdf_fonts, pdf_text, pdf_words


@pytest.fixture
def submitted(demo_submitted):
    return demo_submitted, demo_submitted.latest_version


def squash(text):
    """Text without whitespace: table cells wrap long labels over several lines."""
    return re.sub(r"\s+", "", text)


def docx_text(content):
    """Every run of text in the body, the headers and the footers, in document order."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [n for n in archive.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        xml = "".join(archive.read(n).decode("utf-8") for n in parts)
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)) + " ".join(re.findall(r'string="([^"]*)"', xml))


def expected_labels(schema):
    """Every label of the guide's tables 一 to 七, the cover, 填报说明 and 承诺书."""
    labels = [
        "集群名称：",
        "所属地区（盟市）：",
        "盟市工信主管部门（盖章）：",
        "集群促进组织名称：",
        "申报时间：",
        "联系人及联系电话：",
    ]
    labels += [
        "填报说明",
        *schema.notes,
        *schema.commitment["items"],
        schema.commitment["closing"],
        "法定代表人（签字）：",
    ]
    for section in schema.sections_for(REPORT):
        labels.append(section.heading)
        for field in section.fields:
            labels.append(field.label)
            labels += [title for _, title, _ in field.parts] + [label for _, label in field.rows + field.columns]
    return [*labels, "附件清单"]


def expected_values(record):
    """Every figure and text the demo applicant typed, as it must be printed."""
    values = []
    for name, cell in record.schema.cells.items():
        value = record.data.get(name)
        printed_in_body = record.schema.section(cell.section).document == REPORT
        if not printed_in_body or cell.field.type in {"regions", "accept"} or not value:
            continue
        if cell.kind == "choice":
            value = dict(cell.field.choices)[value]
        values += value if isinstance(value, list) else value.split("\n")
    return values + [item["name"] for item in record.attachments]


def missing_from(text, expected):
    flat = squash(text)
    return [item for item in expected if squash(item) not in flat]


def test_the_report_pdf_holds_every_guide_label_and_every_demo_value(submitted):
    application, version = submitted
    record = record_of(application, version.number)
    text = pdf_text(document_pdf(application_report.build(record)))
    assert len(expected_labels(record.schema)) > 100 and len(expected_values(record)) > 120
    assert missing_from(text, expected_labels(record.schema)) == []
    assert missing_from(text, expected_values(record)) == []
    assert "☑是" in squash(text) and "☐否" in squash(text)


def test_the_report_docx_holds_the_same_labels_and_values(submitted):
    application, version = submitted
    record = record_of(application, version.number)
    text = docx_text(document_docx(application_report.build(record)))
    assert missing_from(text, expected_labels(record.schema)) == []
    assert missing_from(text, expected_values(record)) == []


def test_the_pdf_embeds_its_fonts_and_gives_back_real_chinese(submitted, tmp_path):
    application, version = submitted
    path = tmp_path / "report.pdf"
    path.write_bytes(document_pdf(application_report.build(record_of(application, version.number))))
    fonts = pdf_fonts(path)
    assert fonts and any("CJK" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the emb column
    assert "包头稀土新材料产业集群" in pdf_text(path)


def test_every_page_footer_carries_number_version_and_the_code_of_the_version_hash(submitted):
    application, version = submitted
    code = format_code(version.content_hash)
    assert code.replace("-", "").lower() == version.content_hash[:16]
    content = document_pdf(application_report.build(record_of(application, version.number)))
    pages = pdf_text(content).split("\f")[:-1]
    assert pages and all(code in page and application.number in page and "第1版" in page for page in pages)
    docx = docx_text(document_docx(application_report.build(record_of(application, version.number))))
    assert code in docx and "草稿" not in docx


def test_the_docx_footer_has_page_fields_and_the_qr_picture(submitted):
    application, version = submitted
    content = document_docx(application_report.build(record_of(application, version.number)))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        footer = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer"))
        assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in archive.namelist())
        body = archive.read("word/document.xml").decode()
    assert "<w:tblHeader/>" in body and "<w:cantSplit/>" in body


def test_a_draft_is_watermarked_and_has_no_verification_code(draft):
    draft.data.update(demo.HALF_FILLED)
    draft.save()
    record = record_of(draft)
    assert record.verification_code is None
    text = pdf_text(document_pdf(application_report.build(record)))
    assert "草稿" in text and "验证码" not in text
    docx = docx_text(document_docx(application_report.build(record)))
    assert 'string="草稿"' in docx or "草稿" in docx
    assert "验证码" not in docx


def test_a_version_prints_what_was_frozen_not_todays_draft(submitted, applicant):
    application, _ = submitted
    submission.withdraw(application, applicant)
    application.refresh_from_db()
    application.data["cluster_name"] = "改名后的集群"
    application.save()
    frozen = pdf_text(document_pdf(application_report.build(record_of(application, 1))))
    assert "包头稀土新材料产业集群" in frozen and "改名后的集群" not in frozen


def test_the_performance_table_has_the_fiscal_layout_and_every_indicator(submitted):
    application, version = submitted
    record = record_of(application, version.number)
    doc = performance_table.build(record)
    for text in (pdf_text(document_pdf(doc)), docx_text(document_docx(doc))):
        flat = squash(text)
        for label in (
            "项目支出绩效目标表",
            "资金情况（万元）",
            "年度总体目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
        ):
            assert label in flat
        for row in record.data["indicators"]:
            assert squash(row["name"]) in flat
            assert squash(row["level2"]) in flat
        for goal in record.data["goals"]:
            assert squash(goal) in flat
        assert record.data["fund_total"] in flat


def test_hostile_text_is_printed_as_text(draft):
    draft.data["cluster_name"] = '<img src="http://example.com/x.png"><script>alert(1)</script>'
    draft.save()
    record = record_of(draft)
    text = pdf_text(document_pdf(application_report.build(record)))
    assert "<script>alert(1)</script>" in text
    assert "<script>alert(1)</script>" in docx_text(document_docx(application_report.build(record))).replace(
        "&lt;", "<"
    ).replace("&gt;", ">")


def test_render_application_writes_each_format(submitted, tmp_path):
    application, _ = submitted
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        output = tmp_path / f"out.{fmt}"
        call_command("render_application", application.pk, "--format", fmt, "--version", "1", "--output", str(output))
        assert output.read_bytes().startswith(magic)
    with pytest.raises(CommandError, match="没有第 7 版"):
        call_command("render_application", application.pk, "--format", "pdf", "--version", "7", "--output", "x")
    with pytest.raises(CommandError, match="没有 ID"):
        call_command("render_application", 999999, "--format", "pdf", "--output", "x")


def test_a_version_keeps_the_names_it_was_submitted_under(submitted):
    application, version = submitted
    submitted_name = application.organisation.name
    application.organisation.name = "更名后的促进会"
    application.organisation.save()
    text = docx_text(document_docx(application_report.build(record_of(application, version.number))))
    assert submitted_name in text and "更名后的促进会" not in text


def test_the_performance_table_leaves_room_to_write_under_it(submitted):
    """填报人、联系电话、填报日期 are filled in by hand: each label has a blank of several characters after it."""
    application, version = submitted
    pdf = document_pdf(performance_table.build(record_of(application, version.number)))
    words = [(x_min, x_max, text) for _page, _width, x_min, x_max, text in pdf_words(pdf)]
    start = {text: x_min for x_min, _x_max, text in words}
    end = {text: x_max for _x_min, x_max, text in words}
    assert start["联系电话："] - end["填报人："] > 60  # points; the blank is eight characters wide
    assert start["填报日期："] - end["联系电话："] > 60


def test_the_performance_table_numbers_its_first_page_and_the_report_cover_stays_unnumbered(submitted):
    application, version = submitted
    record = record_of(application, version.number)
    table_pages = pdf_text(document_pdf(performance_table.build(record))).split("\f")[:-1]
    assert all(f"第{n}页" in squash(page) for n, page in enumerate(table_pages, 1)), table_pages[0]
    report_pages = pdf_text(document_pdf(application_report.build(record))).split("\f")[:-1]
    assert "第1页" not in squash(report_pages[0])  # the cover
    assert all(f"第{n}页" in squash(page) for n, page in enumerate(report_pages[1:], 2))


@pytest.mark.parametrize(
    ("start", "end", "heading"),
    [
        ("2024-07-01", "2025-06-30", "（2024—2025年度）"),
        ("2025-01-01", "2025-12-31", "（2025年度）"),
        ("2024-01-01", "2026-12-31", "（2024—2026年度）"),
    ],
)
def test_the_performance_table_heading_names_the_years_of_its_implementation_period(submitted, start, end, heading):
    application, version = submitted
    record = record_of(application, version.number)
    record.data.update(perf_start=start, perf_end=end)
    text = squash(pdf_text(document_pdf(performance_table.build(record))))
    assert heading in text
    other = {"（2024年度）", "（2025年度）", "（2024—2025年度）", "（2024—2026年度）"} - {heading}
    assert not any(h in text for h in other)


def test_the_performance_table_heading_falls_back_to_the_call_year_before_the_period_is_answered(draft):
    record = record_of(draft)
    assert performance_table.period_heading(record, record.schema.sections_for(PERFORMANCE)[0]) == "2024年度"
