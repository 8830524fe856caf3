"""The documents as LibreOffice prints them (tests/office.py): the 申请报告 and 绩效目标表 DOCX with the PDF's
pages and a QR a scanner reads on every page, the 汇总表, 推荐清单 and application workbook XLSX on their
paper, no text outside the page. The 专家评分表 is printed in reviews/tests/test_scoresheet.py."""

import pytest

from applications.models import Application
from documents import application_report, performance_table
from documents.docx import document_docx
from documents.pdf import document_pdf
from documents.recommendation import recommendation_xlsx
from documents.record import record_of
from documents.summary import summary_xlsx
from documents.workbook import export_workbook
from regions.models import Region
from tests import factories
from tests.office import libreoffice_pdf, needs_office, outside_the_page, pages, qr_codes
from tests.pdf import pdf_info

pytestmark = [needs_office, pytest.mark.usefixtures("db", "media")]


@pytest.mark.parametrize("document", [application_report, performance_table], ids=["申请报告", "绩效目标表"])
def test_the_docx_prints_in_libreoffice_as_the_pdf_does_with_a_readable_qr_on_every_page(
    document, demo_submitted, tmp_path
):
    doc = document.build(record_of(demo_submitted, demo_submitted.latest_version.number))
    printed = libreoffice_pdf(document_docx(doc), "文件.docx", tmp_path)

    assert pages(printed) == pages(document_pdf(doc))
    assert outside_the_page(printed) == []
    codes = qr_codes(printed, tmp_path)
    assert len(codes) == pages(printed) and all(code.endswith(doc.verify_url) for code in codes), codes


@pytest.fixture
def submitted_two():
    factories.submitted_application("150200")
    factories.submitted_application("150600")
    return Application.objects.all()


def test_the_summary_prints_on_a3_landscape_at_a_readable_size(submitted_two, tmp_path):
    schema = submitted_two.first().call.schema
    printed = libreoffice_pdf(summary_xlsx(submitted_two, schema, "汇总表", "全部申报").read(), "汇总表.xlsx", tmp_path)

    assert pdf_info(printed)["Page size"].endswith("(A3)")
    assert pages(printed) > 1  # pages across at full size, not squeezed onto one
    assert outside_the_page(printed) == []


def test_the_recommendation_list_prints_on_one_a4_landscape_page(submitted_two, tmp_path):
    schema = submitted_two.first().call.schema
    region = Region.objects.get(code="150200")
    printed = libreoffice_pdf(recommendation_xlsx(submitted_two, schema, region).read(), "推荐清单.xlsx", tmp_path)

    assert pdf_info(printed)["Page size"] == "841.89 x 595.304 pts (A4)"
    assert pages(printed) == 1
    assert outside_the_page(printed) == []


def test_the_application_workbook_prints_with_no_text_outside_the_page(demo_submitted, tmp_path):
    record = record_of(demo_submitted, demo_submitted.latest_version.number)
    printed = libreoffice_pdf(export_workbook(record), "申报数据.xlsx", tmp_path)

    assert pages(printed) >= 1
    assert outside_the_page(printed) == []
