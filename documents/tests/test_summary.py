"""The 汇总表 shows each application's latest submitted figures, as numbers, safely, in XLSX and PDF."""

import io
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from applications.models import Application
from documents.summary import (
    BAND_WIDTH,
    FIXED_COUNT,
    KEY_COLUMNS,
    pdf_bands,
    summary_columns,
    summary_pdf,
    summary_rows,
    summary_xlsx,
)
from documents.tests.submitted import submitted
from tests import factories
from tests.application_data import complete_data
from tests.pdf import pdf_text

HEADINGS = ["序号", "申报编号", "集群名称", "牵头盟市", "集群促进组织名称", "状态", "申报时间"]


def rows_by_heading(applications, schema):
    headings = [c.heading for c in summary_columns(schema)]
    return [dict(zip(headings, row, strict=True)) for row in summary_rows(applications, schema)]


def test_a_row_holds_the_figures_of_the_latest_submitted_version(call):
    app = submitted(call, versions=2, status="returned", cluster_name="稀土新材料集群")
    app.data = {**app.data, "output__2023": "999.99", "cluster_name": "草稿里改过的名字"}
    app.save()
    expected = complete_data(call.schema)

    [row] = rows_by_heading(Application.objects.all(), call.schema)

    assert row["序号"] == 1 and row["申报编号"] == app.number
    assert row["集群名称"] == "稀土新材料集群"
    assert (row["牵头盟市"], row["集群促进组织名称"], row["状态"]) == ("包头市", app.organisation.name, "退回修改")
    assert row["2023年集群总产值（亿元）"] == Decimal("102.25")  # version 2, not the draft's 999.99
    assert row["2023年集群规模以上企业数量（家）"] == int(expected["large_enterprises__2023"])
    assert row["有效发明专利拥有量（个）"] == int(expected["patents"])
    assert row["企业上云比例（%）"] == Decimal(expected["cloud_ratio"])
    assert row["年度资金总额（万元）"] == Decimal(expected["fund_total"])
    assert row["自治区奖补资金（万元）"] == Decimal(expected["fund_regional"])
    assert row["主导产业所属产业类型"] == expected["industry_type"]


def test_every_summary_figure_is_the_versions_value_as_a_number(call):
    submitted(call)
    data = {**complete_data(call.schema), "output__2023": "101.25"}
    [row] = summary_rows(Application.objects.all(), call.schema)
    figures = summary_columns(call.schema)[FIXED_COUNT:]
    for column, value in zip(figures, row[FIXED_COUNT:], strict=True):
        raw = data[column.cell.name]
        if column.cell.kind == "count":
            assert value == int(raw), column.heading
        elif column.cell.is_numeric:
            assert value == Decimal(raw), column.heading


def test_a_draft_row_shows_the_draft_as_it_is_now(applicant, call):
    app = factories.application(applicant, call, data={"cluster_name": "草稿集群", "output__2023": "12.5", "area": ""})
    [row] = rows_by_heading(Application.objects.filter(pk=app.pk), call.schema)
    assert (row["集群名称"], row["状态"], row["申报时间"]) == ("草稿集群", "草稿", None)
    assert row["2023年集群总产值（亿元）"] == Decimal("12.5")
    assert row["年度资金总额（万元）"] is None


def test_choices_show_their_labels_and_an_explicit_none_stays_text(call):
    submitted(call, recognition_level="regional", export_growth__2023="无")
    [row] = rows_by_heading(Application.objects.all(), call.schema)
    assert row["集群认定情况"] == "（二）自治区工信厅新认定的自治区级先进制造业集群"
    assert row["2023年主导产品出口贸易额增长率（%）"] == "无"


def test_the_summary_of_30_applications_costs_as_many_queries_as_of_5(call):
    for i in range(5):
        submitted(call, region_code="150200" if i % 2 else "150600")
    with CaptureQueriesContext(connection) as five:
        assert len(list(summary_rows(Application.objects.all(), call.schema))) == 5
    for _ in range(25):
        submitted(call, versions=2)
    with CaptureQueriesContext(connection) as thirty:
        assert len(list(summary_rows(Application.objects.all(), call.schema))) == 30
    assert len(thirty.captured_queries) == len(five.captured_queries) == 1


def read_sheet(content):
    workbook = load_workbook(io.BytesIO(content.read()))
    return workbook.active


def test_the_xlsx_has_title_filters_frozen_headings_and_numbers_as_numbers(call):
    submitted(call, cluster_name="稀土新材料集群")
    sheet = read_sheet(summary_xlsx(Application.objects.all(), call.schema, "申报汇总表", "批次：2024年"))

    assert sheet["A1"].value == "申报汇总表"
    assert sheet["A2"].value.startswith("批次：2024年　生成时间：")
    headings = [c.value for c in sheet[3]]
    assert headings[:7] == HEADINGS
    assert "2023年集群总产值（亿元）" in headings and "有效发明专利拥有量（个）" in headings
    assert sheet.freeze_panes == "D4"
    assert sheet.print_title_rows == "$3:$3"
    row = {h: cell for h, cell in zip(headings, sheet[4], strict=True)}
    output = row["2023年集群总产值（亿元）"]
    assert (output.value, output.data_type, output.number_format) == (101.25, "n", "0.00")
    patents = row["有效发明专利拥有量（个）"]
    assert (patents.value, patents.data_type, patents.number_format) == (300, "n", "0")
    assert row["集群名称"].value == "稀土新材料集群"
    assert row["申报时间"].is_date


def test_xlsx_text_that_looks_like_a_formula_is_stored_as_text(call):
    hostile = ['=HYPERLINK("http://evil.example","点此")', "+1+2", "-3+4", "@SUM(A1:A9)"]
    for name in hostile:
        submitted(call, cluster_name=name, contact_person="=1+1")
    sheet = read_sheet(summary_xlsx(Application.objects.order_by("pk"), call.schema, "=标题", "@筛选"))
    names = sheet["C"][3:]
    assert sorted(c.value for c in names) == sorted(hostile)
    assert all(c.data_type == "s" and c.quotePrefix for c in names)  # stays text even once edited in Excel
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=标题"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_pdf_prints_headings_and_values_as_searchable_chinese(call, tmp_path):
    app = submitted(call, cluster_name="稀土集群")
    content = summary_pdf(Application.objects.all(), call.schema, "申报汇总表", "批次：2024年")
    text = "".join(pdf_text(content, raw=True).split())  # a narrow cell wraps its text over lines
    for expected in ["申报汇总表", "批次：2024年", "生成时间", "序号", "申报编号", "集群名称", "稀土集群",
                     app.number, "包头市", "待盟市初审", "101.25", "二、主导产业情况", "三、创新能力情况",
                     "表2（按序号与表1对应）", "2023年集群总产值（亿元）"]:  # fmt: skip
        assert expected in text, expected


def test_the_pdf_splits_the_columns_into_bands_that_fit_the_page_and_repeat_the_keys(call):
    columns = summary_columns(call.schema)
    bands = pdf_bands(columns)
    printed = [i for band in bands for i in band.indexes[band.keys :]]
    assert sorted(printed) == list(range(FIXED_COUNT, len(columns)))
    assert bands[0].indexes[:FIXED_COUNT] == tuple(range(FIXED_COUNT))
    for band in bands[1:]:
        assert band.indexes[:KEY_COLUMNS] == tuple(range(KEY_COLUMNS))
    assert all(sum(c.width for c in band.columns) <= BAND_WIDTH for band in bands)


def test_the_xlsx_prints_on_a3_landscape_at_a_readable_size_with_its_headings_on_every_page(call):
    for n in range(3):
        submitted(call, cluster_name=f"集群{n}")
    now = timezone.make_aware(datetime(2024, 9, 1, 10, 0))
    workbook = load_workbook(
        io.BytesIO(summary_xlsx(Application.objects.all(), call.schema, "申报汇总表", "", now).read())
    )
    sheet = workbook.active
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (8, "landscape")  # A3
    columns = summary_columns(call.schema)
    # Excel: a column w characters wide is w × 7 + 5 px at 96 dpi; A3 landscape less 0.75" margins.
    total_mm = sum((c.width * 7 + 5) * 25.4 / 96 for c in columns)
    printable_mm = 420 - 1.5 * 25.4
    assert total_mm / setup.fitToWidth <= printable_mm / 0.6  # never below 60 %, unlike one page wide
    assert setup.fitToWidth > 1 and sheet.print_title_cols == "$A:$C"
    last = get_column_letter(len(columns))
    assert sheet.print_area == f"'汇总表'!$A$1:${last}$6"
    assert (sheet.print_title_rows, sheet.freeze_panes) == ("$3:$3", "D4")
    assert sheet.row_dimensions[3].height >= 2 * 13  # the wrapped headings are not cut off
    properties = workbook.properties
    assert (properties.title, properties.creator) == ("申报汇总表", settings.PLATFORM_NAME)
    assert properties.created == datetime(2024, 9, 1, 2, 0)  # 10:00 in Beijing, stored as UTC
