"""A dashboard table as XLSX: numbers are numbers with their decimals, text is text, the title and headings on top."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboards.xlsx import table_xlsx

HEADINGS = ["盟市", "申报数量（份）", "2023年集群总产值（亿元）", "企业上云比例（%）"]


def sheet_of(content):
    return load_workbook(io.BytesIO(content)).active


@pytest.fixture
def sheet():
    rows = [
        ["包头市", 3, Decimal("1402.60"), Decimal("68.50")],
        ['=HYPERLINK("http://example.com")', 0, None, Decimal("7.5")],
    ]
    return sheet_of(table_xlsx("各盟市申报情况", HEADINGS, rows, note="批次：2024年；全部盟市"))


def test_the_title_the_scope_and_the_headings_come_first(sheet):
    assert sheet.title == "各盟市申报情况"
    assert sheet["A1"].value == "各盟市申报情况"
    assert sheet["A2"].value.startswith("批次：2024年；全部盟市　生成时间：")
    assert [c.value for c in sheet[3]] == HEADINGS


def test_numbers_are_stored_as_numbers_with_their_own_decimals(sheet):
    count, output, ratio = sheet["B4"], sheet["C4"], sheet["D5"]
    assert (count.value, count.number_format) == (3, "0")
    assert (output.value, output.number_format) == (1402.6, "0.00")
    assert (ratio.value, ratio.number_format) == (7.5, "0.0")
    assert sheet["B5"].value == 0


def test_text_that_looks_like_a_formula_stays_text_and_no_value_is_an_empty_cell(sheet):
    assert sheet["A5"].data_type == "s"
    assert sheet["A5"].value == '=HYPERLINK("http://example.com")'
    assert sheet["C5"].value in (None, "")


def test_a_title_excel_cannot_name_a_sheet_with_is_shortened_and_cleaned():
    title = "2024年[包头市]各产业类型/各状态申报集群主要经济指标对比分析表（按2023年数据）"
    sheet = sheet_of(table_xlsx(title, ["指标"], [["集群总产值"]]))
    assert len(sheet.title) <= 31
    assert not set(sheet.title) & set("[]:*?/\\")
    assert sheet["A1"].value == title


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="每行应有 2 个值"):
        table_xlsx("表", ["盟市", "数量"], [["包头市"]])
