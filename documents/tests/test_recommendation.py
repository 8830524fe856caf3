"""A 盟市's 推荐清单 lists what it recommended, with the latest figures and a place for its seal."""

import io
from decimal import Decimal

from django.conf import settings
from openpyxl import load_workbook

from accounts import scoping
from accounts.models import Role
from applications.models import Status
from documents.recommendation import recommendation_pdf, recommendation_rows, recommendation_xlsx
from documents.tests.submitted import submitted
from tests import factories
from tests.pdf import pdf_text

LATER = [Status.RECOMMENDED, Status.UNDER_REVIEW, Status.AWAITING_DECISION, Status.PUBLICISING,
         Status.NOT_SUPPORTED, Status.APPROVED]  # fmt: skip


def test_the_list_holds_the_recommended_and_later_applications_of_the_bureaus_own_region(bureau, call):
    expected = {submitted(call, status=status).pk for status in LATER}
    submitted(call, status=Status.SUBMITTED)
    submitted(call, status=Status.RETURNED)
    factories.application(factories.user(Role.APPLICANT, region_code="150200"), call)  # a draft
    submitted(call, region_code="150600", status=Status.RECOMMENDED)  # 鄂尔多斯市
    assert {a.pk for a in scoping.recommended_for(bureau, call)} == expected


def test_only_a_bureau_has_a_recommendation_list(call):
    submitted(call, status=Status.RECOMMENDED)
    for role in (Role.DEPARTMENT, Role.APPLICANT, Role.EXPERT):
        assert not scoping.recommended_for(factories.user(role), call).exists()


def test_a_row_shows_the_latest_versions_output_and_contact(bureau, call):
    app = submitted(call, versions=2, status=Status.RECOMMENDED, cluster_name="稀土集群",
                    contact_person="李晓燕", contact_phone="13904720001")  # fmt: skip
    [row] = recommendation_rows(scoping.recommended_for(bureau, call), call.schema)
    assert row == [1, app.number, "稀土集群", app.organisation.name, Decimal("102.25"), "李晓燕 13904720001", ""]


def test_the_xlsx_has_the_title_the_recommending_unit_and_lines_to_sign_and_seal(bureau, call):
    submitted(call, status=Status.RECOMMENDED, cluster_name="=稀土集群")
    content = recommendation_xlsx(scoping.recommended_for(bureau, call), call.schema, bureau.region)
    sheet = load_workbook(io.BytesIO(content.read())).active
    assert sheet["A1"].value == "2024年内蒙古自治区先进制造业集群项目推荐清单"
    assert sheet["A2"].value == "推荐单位（盖章）：包头市工业和信息化局"
    assert [c.value for c in sheet[3]] == [
        "序号", "申报编号", "集群名称", "集群促进组织名称", "2023年集群总产值（亿元）", "联系人及电话", "备注"
    ]  # fmt: skip
    assert (sheet["C4"].value, sheet["C4"].data_type) == ("=稀土集群", "s")
    assert (sheet["E4"].value, sheet["E4"].data_type, sheet["E4"].number_format) == (101.25, "n", "0.00")
    below = [sheet.cell(row=r, column=1).value for r in range(5, sheet.max_row + 1)]
    assert below[0].startswith("共推荐 1 个集群。")
    assert {"盖章处：", "负责人（签字）：", "日期：　　　　年　　月　　日"} <= set(below)


def test_the_pdf_has_the_title_the_bureau_the_rows_and_a_place_for_the_seal(bureau, call, tmp_path):
    app = submitted(call, status=Status.APPROVED, cluster_name="稀土集群")
    content = recommendation_pdf(scoping.recommended_for(bureau, call), call.schema, bureau.region)
    text = "".join(pdf_text(content, raw=True).split())
    for expected in ["2024年内蒙古自治区先进制造业集群项目推荐清单", "推荐单位（盖章）：包头市工业和信息化局",
                     "集群促进组织名称", "2023年集群总产值（亿元）", "联系人及电话", "备注", app.number, "稀土集群",
                     "101.25", "盖章处", "负责人（签字）", "日期", "共推荐1个集群"]:  # fmt: skip
        assert expected in text, expected


def test_the_xlsx_prints_on_a4_landscape_with_headings_tall_enough_for_their_wrapped_text(bureau, call):
    submitted(call, status=Status.RECOMMENDED, cluster_name="稀土集群")
    content = recommendation_xlsx(scoping.recommended_for(bureau, call), call.schema, bureau.region)
    workbook = load_workbook(io.BytesIO(content.read()))
    sheet = workbook.active
    # 2023年集群总产值（亿元） is 24 characters' width in a column 14 wide: two lines, at least 13 pt each.
    assert sheet.column_dimensions["E"].width == 14
    assert sheet.row_dimensions[3].height >= 2 * 13
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.print_area == f"'推荐清单'!$A$1:$G${sheet.max_row}"
    assert (workbook.properties.title, workbook.properties.creator) == (
        "2024年内蒙古自治区先进制造业集群项目推荐清单",
        settings.PLATFORM_NAME,
    )
