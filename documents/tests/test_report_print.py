"""How the 申请报告 prints: within its cells and page, with the guide's notes, units and headings.

Each test reads a real PDF or DOCX back (pdftotext -bbox, the DOCX XML) the way a reader would see it.
"""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents import application_report, content
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.record import record_of
from documents.tests.test_documents import docx_text, squash
from tests.pdf import pdf_text, pdf_word_tops, pdf_words

PT_PER_MM = 72 / 25.4
RIGHT_MARGIN = 22 * PT_PER_MM  # documents/styles/print.css @page margin; a table spans the text width


@pytest.fixture
def report(demo_submitted):
    return application_report.build(record_of(demo_submitted, demo_submitted.latest_version.number))


@pytest.fixture
def report_pdf(report):
    return document_pdf(report)


def test_no_word_of_the_report_runs_past_the_right_margin(report_pdf):
    # The 附件清单's SHA-256 column: a run of hex digits has no break opportunity, so it used to run
    # out of its cell, over the table's right border and into the margin on every row.
    outside = [w for w in pdf_words(report_pdf) if w[3] > w[1] - RIGHT_MARGIN + 0.5]
    assert outside == []


def test_each_attachment_hash_stays_inside_its_column(report, report_pdf):
    table = next(b for b in report.blocks if b.kind == "table" and b.rows[0][-1].text.startswith("SHA-256"))
    text_width = 210 * PT_PER_MM - 2 * RIGHT_MARGIN
    left_edge = RIGHT_MARGIN + text_width * sum(table.percent_widths[:-1]) / 100
    hashes = {row[-1].text for row in table.rows[1:]}
    words = pdf_words(report_pdf)
    page = next(w[0] for w in words if w[4] == "附件清单")
    words = [w for w in words if w[0] == page and len(w[4]) >= 4 and any(w[4] in h for h in hashes)]
    assert words, "the hashes are printed"
    right_edge = left_edge + text_width * table.percent_widths[-1] / 100
    assert all(left_edge < x_min and x_max < right_edge for _, _, x_min, x_max, _ in words)


def test_the_co2_row_prints_its_unit_once_as_the_guide_writes_it(report, report_pdf):
    for text in (squash(pdf_text(report_pdf)), squash(docx_text(document_docx(report)))):
        assert "单位产值二氧化碳排放量（吨二氧化碳/万元）" in text
        assert "（吨二氧化碳/万元）（" not in text
        assert "吨/万元" not in text


GUIDE_NOTES = [
    # (what the note follows in the guide, the note)
    ("集群有效发明专利拥有量", "（需提供清单）"),
    ("建立了集群碳排放监测机制", "（如涉及，需提供佐证材料）"),
    ("单位产值二氧化碳排放量", "（注：单位产值二氧化碳排放量需提供计算公式）"),
    ("集群或集群内企业在境外设立分支机构数量", "（需提供相关佐证材料）"),
]


@pytest.mark.parametrize("render", [document_pdf, document_docx], ids=["pdf", "docx"])
def test_the_guides_evidence_notes_print_after_their_rows(report, render):
    content = render(report)
    text = squash(pdf_text(content) if render is document_pdf else docx_text(content))
    for label, note in GUIDE_NOTES:
        assert note in text[text.index(label) :], note
    # The form's own instructions are not the guide's words and stay on the form.
    assert "数量大于0时在本节附件上传" not in text


def test_the_planning_chapter_and_its_first_sub_heading_are_two_headings(report, report_pdf):
    headings = [b.text for b in report.blocks if b.kind == "heading"]
    assert "四、未来三年发展规划" in headings and "（一）总体思路" in headings
    assert headings.index("（一）总体思路") == headings.index("四、未来三年发展规划") + 1
    levels = {b.text: b.level for b in report.blocks if b.kind == "heading"}
    chapter, part = levels["四、未来三年发展规划"], levels["（一）总体思路"]
    assert chapter == levels["三、存在的问题"] and part == levels["（二）发展目标"] and chapter < part
    lines = [line.strip() for line in pdf_text(report_pdf).splitlines()]
    assert "四、未来三年发展规划" in lines and "（一）总体思路" in lines
    word = Document(io.BytesIO(document_docx(report)))
    docx_headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert docx_headings.index("（一）总体思路") == docx_headings.index("四、未来三年发展规划") + 1


def test_the_spine_label_page_keeps_the_footer_where_every_other_page_has_it(report_pdf):
    """书脊标签 is the report's last page; it used to have margins of its own, and its footer sat lower."""
    tops = {page: top for page, top, text in pdf_word_tops(report_pdf) if text.startswith("申报编号")}
    assert len(tops) == len(pdf_text(report_pdf).split("\f")) - 1  # one footer line per page
    assert len({round(top) for top in tops.values()}) == 1, tops


def test_the_standards_grid_is_headed_in_the_guides_words_with_its_unit_above_it(report, report_pdf):
    heading = "集群企业近三年主持（起草单位排名前三位）或参与制修订标准数量情况（需提供清单）"
    for text in (squash(pdf_text(report_pdf)), squash(docx_text(document_docx(report)))):
        assert f"{heading}单位：项类别" in text
        assert "（需提供清单）（项）" not in text


def test_a_long_text_row_breaks_across_pages_rather_than_leaving_a_page_almost_empty():
    # Thirty lines of text in one row, after a page three quarters full: moved whole, the row left two
    # thirds of that page empty. It now starts where the page's text ends and runs on to the next.
    doc = content.Document(title="长文本行", filename="long-row")
    doc.add(*(content.Paragraph(f"第{i}段填充文字", "indent") for i in range(38)))
    text = "\n".join(f"第{i}行：集群围绕风电整机、光伏组件、氢能装备和储能系统四条产业链实行链长制" for i in range(30))
    row = [content.Cell("集群产业链培育和招商情况", style="label"), content.Cell(text, style="long")]
    doc.add(content.Table([row], widths=(2, 3)))
    words = pdf_words(document_pdf(doc))
    last_filler = next(page for page, *_, word in words if word == "第37段填充文字")
    first_line = next(page for page, *_, word in words if word.startswith("第0行："))
    assert first_line == last_filler

    rows = Document(io.BytesIO(document_docx(doc))).tables[0].rows
    assert rows[0]._tr.trPr is None or rows[0]._tr.trPr.find(qn("w:cantSplit")) is None


def test_a_short_row_still_keeps_together_in_both_formats(report):
    table = Document(io.BytesIO(document_docx(report))).tables[1]
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
