"""The application as a workbook: the guide's tables, real numbers, units, dropdowns, no formulas, locked layout."""

import datetime
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl.utils import get_column_letter

from accounts.models import Role
from documents.tests.workbooks import export, fill, open_book, place
from documents.workbook_layout import IDENTITY_SHEET, sheet_title, with_unit
from tests import factories

INJECTION = "=cmd|' /C calc'!A0"


def value_at(book, where):
    return book[where.sheet][where.coordinate]


def test_every_section_is_a_sheet_titled_like_the_guides_table(draft):
    book = open_book(export(fill(draft)))
    headings = [s.heading for s in draft.call.schema.sections]
    assert book.sheetnames == [*headings, IDENTITY_SHEET]
    assert "一、基本情况" in book.sheetnames and "七、未来三年先进制造业集群发展规划" in book.sheetnames
    assert book[IDENTITY_SHEET].sheet_state == "veryHidden"


def test_sheet_titles_keep_within_excels_rules():
    title = sheet_title("八、一个非常非常非常非常非常非常非常非常非常长的标题：含有/非法*字符?", set())
    assert len(title) <= 31 and not re.search(r"[\[\]:*?/\\]", title)
    assert sheet_title("一、基本情况", {"一、基本情况"}) == "一、基本情况（2）"


def test_numbers_are_numeric_cells_shown_with_two_decimals_and_counts_as_whole_numbers(draft):
    fill(draft)
    draft.data.update({"output__2021": "1234.50", "large_enterprises__2022": "12"})
    draft.save()
    book = open_book(export(draft))
    output = value_at(book, place(draft, "output__2021"))
    assert output.value == 1234.5 and output.data_type == "n" and output.number_format == "0.00"
    count = value_at(book, place(draft, "large_enterprises__2022"))
    assert count.value == 12 and isinstance(count.value, int) and count.number_format == "0"
    date = value_at(book, place(draft, "perf_start"))
    assert date.value == datetime.datetime(2024, 1, 1) and date.number_format == "yyyy-mm-dd"


def test_none_answers_and_entries_still_to_be_corrected_stay_text_exactly_as_stored(draft):
    fill(draft)
    draft.data.update({"export_growth__2021": "无", "area": "12.345", "employees": "两万"})
    draft.save()
    book = open_book(export(draft))
    for name, text in (("export_growth__2021", "无"), ("area", "12.345"), ("employees", "两万")):
        cell = value_at(book, place(draft, name))
        assert (cell.value, cell.data_type) == (text, "s")


def test_units_are_in_the_labels_and_the_year_columns_are_the_calls_three_years(draft):
    book = open_book(export(fill(draft)))
    industry = [c.value for row in book["二、主导产业情况"].iter_rows() for c in row if c.value]
    assert {"集群总产值（亿元）", "集群规模以上企业数量（家）", "2021年", "2022年", "2023年"} <= set(industry)
    labels = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"集群产业从业人员数量（人）", "工业软件采购金额（万元）", "年度资金总额（万元）", "数量（个）"} <= labels
    assert "集群每万人有效发明专利拥有量（件/万人）" in labels


def test_a_unit_already_in_the_label_is_not_repeated():
    assert with_unit("集群总产值（亿元）", "亿元") == "集群总产值（亿元）"
    assert with_unit("单位产值二氧化碳排放量（吨二氧化碳/万元）", "吨/万元").count("万元") == 1
    assert with_unit("集群上市企业数量", "家") == "集群上市企业数量（家）"


def test_the_standards_matrix_is_a_grid_of_year_by_category_by_lead_and_participate(draft):
    fill(draft)
    book = open_book(export(draft))
    lead_2021, part_2023 = (
        place(draft, "standards__2021__international__lead"),
        place(draft, "standards__2023__group__participate"),
    )
    ws = book[lead_2021.sheet]
    assert lead_2021.row + 3 == part_2023.row and part_2023.col - lead_2021.col == 5
    assert ws.cell(lead_2021.row, 1).value == "国际" and ws.cell(part_2023.row, 1).value == "团体"
    assert ws.cell(lead_2021.row - 1, lead_2021.col).value == "主持数量"
    assert ws.cell(lead_2021.row - 2, lead_2021.col).value == "2021年"


def test_platform_names_are_one_per_row_under_their_count_with_room_to_add(draft):
    fill(draft)
    names = draft.data["platforms_national__names"]
    book = open_book(export(draft))
    rows = [value_at(book, place(draft, "platforms_national__names", i)).value for i in range(len(names) + 5)]
    assert rows[: len(names)] == names and rows[len(names) :] == [None] * 5


def test_indicator_rows_are_a_table_with_the_columns_of_the_guide(draft):
    fill(draft)
    first = place(draft, "indicators", 0, "level1")
    ws = open_book(export(draft))[first.sheet]
    assert [ws.cell(first.row - 1, first.col + n).value for n in range(6)] == [
        "一级指标", "二级指标", "三级指标", "符号", "指标值", "计量单位",
    ]  # fmt: skip
    assert ws[first.coordinate].value == "产出指标"


def test_plan_parts_are_one_long_text_cell_each(draft):
    fill(draft)
    book = open_book(export(draft))
    cells = [place(draft, f"plan__{key}") for key, _, _ in draft.call.schema.fields["plan"].parts]
    assert len({(c.sheet, c.col) for c in cells}) == 1 and len({c.row for c in cells}) == len(cells)
    assert value_at(book, cells[0]).alignment.wrap_text


def test_choice_cells_offer_a_dropdown_of_the_allowed_answers(draft):
    fill(draft)
    book = open_book(export(draft))
    answers = {}
    for name in ("no_accidents", "energy_efficiency", "recognition_level", "industry_type"):
        where = place(draft, name)
        rules = [v for v in book[where.sheet].data_validations.dataValidation if where.coordinate in v.sqref]
        assert len(rules) == 1 and rules[0].type == "list"
        answers[name] = rules[0].formula1
    assert answers["no_accidents"] == '"是,否"'
    assert answers["energy_efficiency"] == '"是,否,不涉及"'
    assert "（一）工信部新认定的国家级先进制造业集群" in answers["recognition_level"]
    assert value_at(book, place(draft, "recognition_level")).value == "（一）工信部新认定的国家级先进制造业集群"


def test_derived_fields_are_greyed_and_locked_and_only_value_cells_are_unlocked(draft):
    book = open_book(export(fill(draft)))
    organisation = value_at(book, place(draft, "organisation_name"))
    assert organisation.value == draft.organisation.name
    assert organisation.protection.locked and organisation.fill.fgColor.rgb.endswith("D9D9D9")
    area = value_at(book, place(draft, "area"))
    assert not area.protection.locked
    label = book[place(draft, "area").sheet].cell(place(draft, "area").row, 1)
    assert label.protection.locked and label.value == "集群占地面积（平方公里）"


def test_the_structure_is_protected_without_a_password_and_panes_are_frozen(draft):
    book = open_book(export(fill(draft)))
    assert book.security.lockStructure
    for ws in book.worksheets[:-1]:
        assert ws.protection.sheet and not ws.protection.password
        assert ws.freeze_panes == "B3"
        assert ws["A1"].font.bold and ws.column_dimensions["A"].width >= 40


def test_formula_like_text_is_written_as_text_and_never_as_a_formula(draft):
    fill(draft)
    draft.data.update(
        {"contact_person": INJECTION, "cluster_name": "+1+1", "collaboration": "-2", "bureau_contact": "@SUM(1)"}
    )
    draft.save()
    content = export(draft)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)
    book = open_book(content)
    cell = value_at(book, place(draft, "contact_person"))
    assert (cell.value, cell.data_type, cell.quotePrefix) == (INJECTION, "s", True)


def test_the_blank_template_has_the_same_layout_and_no_values(draft):
    fill(draft)
    book = open_book(export(draft, blank=True))
    assert value_at(book, place(draft, "output__2021")).value is None
    assert value_at(book, place(draft, "cluster_name")).value is None
    assert book[IDENTITY_SHEET]["B8"].value == "blank"


@pytest.fixture
def submitted(demo_submitted):
    return demo_submitted


def test_a_frozen_version_exports_what_was_frozen_not_todays_draft(submitted):
    frozen = submitted.data["cluster_name"]
    submitted.data["cluster_name"] = "后来改过的名称"
    submitted.save()
    book = open_book(export(submitted, version=1))
    assert value_at(book, place(submitted, "cluster_name")).value == frozen
    assert book[IDENTITY_SHEET]["B9"].value == "第1版"


# --- Downloads ---


def url(app, name="documents:workbook", version=None):
    base = reverse(name, args=[app.pk])
    return f"{base}?version={version}" if version else base


def test_the_applicant_downloads_its_draft_and_its_blank_template(client, applicant, draft):
    fill(draft)
    client.force_login(applicant)
    response = client.get(url(draft))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert (
        open_book(response.content)["封面"][place(draft, "cluster_name").coordinate].value == draft.data["cluster_name"]
    )
    blank = client.get(url(draft, "documents:workbook_blank"))
    assert blank.status_code == 200 and open_book(blank.content)["封面"]["B4"].value is None


def test_another_organisation_gets_404_for_every_workbook_url(client, draft):
    client.force_login(factories.user(Role.APPLICANT, region_code="150500"))
    for name in ("documents:workbook", "documents:workbook_blank", "documents:workbook_import"):
        assert client.get(url(draft, name)).status_code == 404


def test_the_lead_bureau_downloads_the_submitted_version_and_not_the_draft(client, submitted, bureau):
    submitted.data["cluster_name"] = "提交后才改的草稿"
    submitted.save()
    client.force_login(bureau)
    response = client.get(url(submitted))
    assert response.status_code == 200 and "%E7%AC%AC1%E7%89%88" in response["Content-Disposition"]  # 第1版
    assert open_book(response.content)["封面"]["B4"].value != "提交后才改的草稿"
    assert client.get(url(submitted, version=1)).status_code == 200


def test_reviewers_may_not_have_the_blank_template_or_a_draft_never_submitted(client, draft, bureau, submitted):
    client.force_login(bureau)
    assert client.get(url(submitted, "documents:workbook_blank")).status_code == 403
    other = factories.application(factories.user(Role.APPLICANT), draft.call)
    assert client.get(url(other)).status_code == 404


def test_the_department_downloads_any_submitted_version_and_another_bureau_gets_404(client, submitted):
    client.force_login(factories.user(Role.DEPARTMENT))
    response = client.get(url(submitted, version=1))
    assert response.status_code == 200 and "%E7%AC%AC1%E7%89%88" in response["Content-Disposition"]  # 第1版
    frozen = submitted.versions.get(number=1).data["cluster_name"]
    assert open_book(response.content)["封面"][place(submitted, "cluster_name").coordinate].value == frozen
    client.force_login(factories.user(Role.BUREAU, region_code="150500"))

    assert client.get(url(submitted, version=1)).status_code == 404


def test_unknown_versions_are_404(client, applicant, submitted):
    client.force_login(applicant)
    assert client.get(url(submitted, version=9)).status_code == 404
    assert client.get(url(submitted, version="1 OR 1=1")).status_code == 404


def test_the_workbook_says_what_it_is_and_that_the_platform_made_it(draft):
    book = open_book(export(fill(draft)))
    assert book.properties.title == f"{draft.number} {draft.call.schema.title}"
    assert book.properties.creator == settings.PLATFORM_NAME
    assert book.properties.created is not None


def test_each_sheet_prints_its_title_and_headings_on_every_page_and_nothing_beyond_its_table(draft):
    book = open_book(export(fill(draft)))
    for ws in book.worksheets[:-1]:
        assert ws.print_title_rows == "$1:$2"
        assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"
