"""A workbook back into a draft: lossless, all or nothing, every bad cell named, hostile files refused safely."""

import datetime
import io
import shutil
import subprocess
import tracemalloc
import zipfile
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.autosave import save_cells
from applications.models import Application, Status
from documents.tests.workbooks import blank_values, edited, export, fill, open_book, place, repack, saved, upload
from documents.workbook_import import excel_text, import_workbook
from documents.workbook_layout import IDENTITY_SHEET
from documents.workbook_report import ERROR, MISSING_VALUE, PROBLEM
from tests import factories

INJECTION = "=cmd|' /C calc'!A0"


def run(app, user, content, **kwargs):
    result = import_workbook(app, user, upload(content), **kwargs)
    app.refresh_from_db()
    return result


def unchanged(app, before):
    app.refresh_from_db()
    return app.data == before.data and app.edit_version == before.edit_version


@pytest.fixture
def filled(draft):
    return fill(draft)


# --- Lossless ---


def test_export_then_import_of_a_complete_application_gives_the_same_record(filled, applicant):
    original = dict(filled.data)
    content = export(filled)
    fill(filled, blank_values(original))
    result = run(filled, applicant, content)
    assert not result.refused and result.saved
    assert filled.data == original
    assert [e for e in result.entries if e.level in (ERROR, PROBLEM)] == []


def test_importing_an_unchanged_export_changes_nothing(filled, applicant):
    version = filled.edit_version
    result = run(filled, applicant, export(filled))
    assert not result.refused and result.changed == []
    assert "一致" in result.summary and filled.edit_version == version


def test_formula_like_text_round_trips_as_text(filled, applicant):
    filled.data.update(
        {"contact_person": INJECTION, "cluster_name": "+1+1", "bureau_contact": "@SUM(1)", "collaboration": "-2"}
    )
    filled.save()
    original = dict(filled.data)
    content = export(filled)
    fill(filled, blank_values(original))
    assert not run(filled, applicant, content).refused
    assert filled.data == original


def libreoffice_calc():
    """soffice with its spreadsheet part: a machine may have LibreOffice Writer only (to look at DOCX)."""
    soffice = shutil.which("soffice")
    return soffice is not None and any(Path(soffice).resolve().parent.glob("libsclo.so"))


@pytest.mark.skipif(not libreoffice_calc(), reason="needs LibreOffice Calc to re-save the workbook")
def test_a_workbook_saved_again_by_an_office_suite_still_imports_losslessly(filled, applicant, tmp_path):
    filled.data.update({"contact_person": INJECTION, "export_growth__2021": "无"})
    filled.save()
    original = {**filled.data, "area": "12.50"}
    source = tmp_path / "申报书.xlsx"
    source.write_bytes(edited(export(filled), (place(filled, "area"), 12.5)))
    command = ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to"]
    command += ["xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)  # noqa: S603 - fixed arguments
    fill(filled, blank_values(original))
    result = run(filled, applicant, (tmp_path / "out" / "申报书.xlsx").read_bytes())
    assert not result.refused and filled.data == original


def test_lists_keep_their_order_and_new_rows_typed_offline_are_added(filled, applicant):
    count = int(filled.data["platforms_other__count"])
    content = edited(
        export(filled),
        (place(filled, "platforms_other__count"), count + 1),
        (place(filled, "platforms_other__names", count), "新增的平台"),
        (place(filled, "indicators", 3, "level1"), "产出指标"),
        (place(filled, "indicators", 3, "level2"), "时效指标"),
        (place(filled, "indicators", 3, "name"), "按期完成率"),
        (place(filled, "indicators", 3, "sign"), "≥"),
        (place(filled, "indicators", 3, "value"), 95),
        (place(filled, "indicators", 3, "unit"), "%"),
    )
    result = run(filled, applicant, content)
    assert not result.refused
    assert filled.data["platforms_other__names"][-1] == "新增的平台"
    assert filled.data["indicators"][3] == {
        "level1": "产出指标", "level2": "时效指标", "name": "按期完成率", "sign": "≥", "value": "95", "unit": "%",
    }  # fmt: skip


# --- Reading values the way Excel holds them ---


def test_excel_numbers_become_the_digits_typed_never_rounded():
    assert excel_text(12.5) == "12.5"
    assert excel_text(12.345) == "12.345"
    assert excel_text(0.1 + 0.2) == "0.30000000000000004"
    assert excel_text(1e-05) == "0.00001"
    assert excel_text(20000) == "20000" and excel_text(3.0) == "3"
    assert excel_text(0.355, "0.00%", "ratio") == "35.5"
    assert excel_text(datetime.datetime(2024, 3, 15)) == "2024-03-15"


def test_a_number_typed_in_excel_is_stored_with_its_two_decimals(filled, applicant):
    result = run(filled, applicant, edited(export(filled), (place(filled, "output__2021"), 12.5)))
    assert result.changed == ["output__2021"] and filled.data["output__2021"] == "12.50"


def test_a_percentage_typed_in_a_ratio_cell_means_that_percentage(filled, applicant):
    run(filled, applicant, edited(export(filled), (place(filled, "cloud_ratio"), 0.355, "0.00%")))
    assert filled.data["cloud_ratio"] == "35.50"


def test_dates_and_dropdown_answers_are_stored_as_the_form_stores_them(filled, applicant):
    content = edited(
        export(filled),
        (place(filled, "perf_start"), datetime.date(2024, 2, 1)),
        (place(filled, "recognition_date"), "2024/3/5"),
        (place(filled, "recognition_level"), "（二）自治区工信厅新认定的自治区级先进制造业集群"),
        (place(filled, "contact_phone"), 13904720009),
    )
    assert not run(filled, applicant, content).refused
    assert (filled.data["perf_start"], filled.data["recognition_date"]) == ("2024-02-01", "2024-03-05")
    assert filled.data["recognition_level"] == "regional" and filled.data["contact_phone"] == "13904720009"


def test_an_emptied_cell_in_an_export_empties_the_value(filled, applicant):
    run(filled, applicant, edited(export(filled), (place(filled, "cluster_name"), None)))
    assert filled.data["cluster_name"] == ""


def test_the_blank_template_imports_as_a_no_op_without_errors(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    result = run(filled, applicant, export(filled, blank=True))
    assert not result.refused and "没有填写任何内容" in result.summary
    assert unchanged(filled, before)


def test_the_blank_template_only_adds_the_cells_filled_in(filled, applicant):
    original = dict(filled.data)
    result = run(filled, applicant, edited(export(filled, blank=True), (place(filled, "area"), 88.8)))
    assert result.changed == ["area"]
    assert filled.data == {**original, "area": "88.80"}


def test_rule_problems_are_reported_after_saving_at_their_sheet_and_cell(filled, applicant):
    result = run(filled, applicant, edited(export(filled), (place(filled, "fund_other"), 1)))
    assert result.saved and filled.data["fund_other"] == "1.00"
    problems = [e for e in result.entries if e.level == PROBLEM]
    total = place(filled, "fund_total")
    assert any((e.sheet, e.cell) == (total.sheet, total.coordinate) and "应等于" in e.message for e in problems)


def test_missing_values_are_listed_with_their_cells(filled, applicant):
    result = run(filled, applicant, edited(export(filled), (place(filled, "contact_person"), None)))
    where = place(filled, "contact_person")
    assert (MISSING_VALUE, "封面", where.coordinate, "联系人") in [
        (e.level, e.sheet, e.cell, e.label) for e in result.entries
    ]


# --- All or nothing ---


def test_text_in_a_number_cell_changes_nothing_and_the_report_names_sheet_cell_and_label(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    output = place(filled, "output__2022")
    content = edited(export(filled), (output, "十二亿"), (place(filled, "cluster_name"), "改了名字"))
    result = run(filled, applicant, content)
    assert "没有任何修改" in result.refused and unchanged(filled, before)
    (error,) = result.errors
    assert (error.sheet, error.cell, error.label) == (
        "二、主导产业情况",
        output.coordinate,
        "集群总产值（亿元）（2022年）",
    )
    assert "十二亿" in error.message and "请填写数字" in error.message


def test_three_decimals_are_reported_not_rounded(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    result = run(filled, applicant, edited(export(filled), (place(filled, "area"), 12.345)))
    assert unchanged(filled, before)
    assert "3位小数" in result.errors[0].message and "不会代为四舍五入" in result.errors[0].message


def test_formulas_are_refused_with_their_coordinates(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    output, growth = place(filled, "output__2021"), place(filled, "output_growth__2022")
    result = run(filled, applicant, edited(export(filled), (output, "=1+1"), (growth, "=B5/B6")))
    assert unchanged(filled, before)
    assert {(e.cell, "公式" in e.message) for e in result.errors} == {
        (output.coordinate, True),
        (growth.coordinate, True),
    }


def test_answers_outside_a_dropdown_logical_values_and_stray_cells_are_refused(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    area = place(filled, "area")
    book = open_book(export(filled))
    book[place(filled, "no_accidents").sheet][place(filled, "no_accidents").coordinate] = "也许"
    book[area.sheet][area.coordinate] = True
    book[area.sheet]["D5"] = "表外的备注"
    result = run(filled, applicant, saved(book))
    assert unchanged(filled, before)
    messages = {e.cell: e.message for e in result.errors}
    assert "不是可选项" in messages[place(filled, "no_accidents").coordinate]
    assert "逻辑值" in messages[area.coordinate] and "不是填报位置" in messages["D5"]


def test_a_value_changed_online_after_the_export_is_a_conflict_unless_the_workbook_should_win(filled, applicant):
    content = export(filled)
    save_cells(filled, {"cluster_name": "在线改过的名称"}, filled.edit_version)
    result = run(filled, applicant, edited(content, (place(filled, "area"), 99)))
    assert "没有导入任何内容" in result.refused and filled.data["cluster_name"] == "在线改过的名称"
    assert "在线改过的名称" in result.errors[0].message
    result = run(filled, applicant, edited(content, (place(filled, "area"), 99)), overwrite=True)
    assert result.saved and filled.data["cluster_name"] != "在线改过的名称" and filled.data["area"] == "99.00"


# --- Wrong workbooks ---


def identity_changed(content, key, value):
    book = open_book(content)
    ws = book[IDENTITY_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, 2).value = value
    return saved(book)


@pytest.mark.parametrize(("key", "value"), [("call_year", "2023"), ("schema_version", "2023.1"), ("call_code", "x")])
def test_a_workbook_of_another_call_or_schema_is_refused(filled, applicant, key, value):
    result = run(filled, applicant, identity_changed(export(filled), key, value))
    assert result.refused.startswith("这不是本批次的申报书模板")


def test_a_spreadsheet_that_is_not_the_template_is_refused(filled, applicant):
    book = openpyxl.Workbook()
    book.active["A1"] = "集群总产值"
    assert run(filled, applicant, saved(book)).refused.startswith("这不是本批次的申报书模板")


def test_another_applications_workbook_is_refused(filled, applicant, call):
    other = fill(factories.application(factories.user(Role.APPLICANT, region_code="150500"), call))
    result = run(filled, applicant, export(other))
    assert other.number in result.refused and "另一份申报书" in result.refused


def test_a_tampered_identity_is_refused_and_can_only_name_known_cells(filled, applicant):
    content = export(filled)
    assert "模板标识" in run(filled, applicant, identity_changed(content, "capacity:goals", "9999")).refused
    assert "版式" in run(filled, applicant, identity_changed(content, "capacity:goals", "7")).refused
    assert "版式" in run(filled, applicant, identity_changed(content, "layout", "0" * 64)).refused


# --- Hostile files ---


def test_a_huge_sheet_is_refused(filled, applicant):
    where = place(filled, "area")
    for row, col in ((5000, 1), (5, 600)):
        book = open_book(export(filled))
        book[where.sheet].cell(row, col).value = "x"
        result = run(filled, applicant, saved(book))
        assert "过大" in result.refused and "huge sheet" in result.refused


def zip_bomb(member_bytes):
    """A ZIP whose one member inflates to `member_bytes` of zeros, streamed so it never sits in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<Types xmlns="x"/>')
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(member_bytes >> 20):
                member.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(filled, applicant):
    before = Application.objects.get(pk=filled.pk)
    for size in (300 << 20, 20 << 20):  # above the total cap; under it but compressed 1000:1
        bomb = zip_bomb(size)
        assert len(bomb) < size // 500
        tracemalloc.start()
        result = import_workbook(filled, applicant, upload(bomb))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert "压缩炸弹" in result.refused
        assert peak < 10 * len(bomb) + (4 << 20)
    assert unchanged(filled, before)


def test_a_file_over_the_size_cap_is_refused_unread(filled, applicant, settings):
    settings.SHENBAO_WORKBOOK_MAX_BYTES = 1024
    assert "超过" in run(filled, applicant, export(filled)).refused


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"MZ\x90\x00\x03" + bytes(200), "不是Excel工作簿"),
        (b"name,value\n\xe9\x9b\x86\xe7\xbe\xa4,1\n", "不是Excel工作簿"),
        (b"PK\x03\x04 truncated", "已损坏"),
        (b"", "空的"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(filled, applicant, content, words):
    assert words in run(filled, applicant, content).refused


def test_macro_enabled_workbooks_are_refused(filled, applicant):
    content = export(filled)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        types = package.read("[Content_Types].xml").decode()
    xlsm = types.replace("spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")
    assert "宏" in run(filled, applicant, repack(content, replace={"[Content_Types].xml": xlsm})).refused
    assert "宏" in run(filled, applicant, repack(content, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})).refused


def test_external_links_embedded_objects_and_doctypes_are_refused(filled, applicant):
    content = export(filled)
    link = repack(content, add={"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    assert "外部链接" in run(filled, applicant, link).refused
    embedded = repack(content, add={"xl/embeddings/oleObject1.bin": b"ole"})
    assert "嵌入对象" in run(filled, applicant, embedded).refused
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><Properties>&lol;</Properties>'
    assert "DOCTYPE" in run(filled, applicant, repack(content, replace={"docProps/app.xml": laughs})).refused


def test_encrypted_members_are_refused(filled, applicant):
    content = bytearray(export(filled))
    directory = content.index(b"PK\x01\x02")
    content[directory + 8] |= 0x1  # the "encrypted" flag of the first member in the central directory
    assert "加密" in run(filled, applicant, bytes(content)).refused


# --- Who may import, and when ---


def test_import_is_refused_when_the_application_is_not_editable(filled, applicant):
    Application.objects.filter(pk=filled.pk).update(status=Status.SUBMITTED)
    filled.refresh_from_db()
    result = run(filled, applicant, edited(export(filled), (place(filled, "area"), 1)))
    assert "不能导入" in result.refused and filled.data["area"] != "1.00"


def test_import_is_refused_outside_the_call_window(filled, applicant, call):
    call.applicant_closes_at = timezone.now() - timedelta(minutes=1)
    call.save()
    filled.refresh_from_db()
    assert run(filled, applicant, export(filled)).refused == "不在申报时间内，不能修改。"


# --- The upload page ---


def page(app):
    return reverse("documents:workbook_import", args=[app.pk])


def test_the_applicant_uploads_a_workbook_and_sees_the_per_cell_report(client, filled, applicant):
    client.force_login(applicant)
    response = client.get(page(filled))
    assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
    assert (
        "下载Excel填报模板" in response.content.decode()
        and 'enctype="multipart/form-data"' in response.content.decode()
    )
    content = edited(export(filled), (place(filled, "fund_other"), 1))
    response = client.post(page(filled), {"workbook": upload(content)})
    html = response.content.decode()
    assert response.status_code == 200 and "已从工作簿导入 1 项修改" in html
    assert all(h in html for h in ('<th scope="col">工作表</th>', "单元格", "填报项", "说明", "绩效目标表"))


def test_a_bad_workbook_is_shown_with_every_cell_and_changes_nothing(client, filled, applicant):
    client.force_login(applicant)
    before = Application.objects.get(pk=filled.pk)
    response = client.post(page(filled), {"workbook": upload(edited(export(filled), (place(filled, "area"), "很大")))})
    assert response.status_code == 400 and unchanged(filled, before)
    assert "一、基本情况" in response.content.decode() and place(filled, "area").coordinate in response.content.decode()


def test_uploading_to_a_submitted_application_is_forbidden(client, filled, applicant):
    Application.objects.filter(pk=filled.pk).update(status=Status.SUBMITTED)
    client.force_login(applicant)
    response = client.post(page(filled), {"workbook": upload(export(filled))})
    assert response.status_code == 403 and "不能导入" in response.content.decode()
    assert 'name="workbook"' not in client.get(page(filled)).content.decode()


def test_another_organisation_cannot_upload(client, filled):
    client.force_login(factories.user(Role.APPLICANT, region_code="150500"))
    before = Application.objects.values("data", "edit_version").get(pk=filled.pk)
    assert client.post(page(filled), {"workbook": upload(export(filled))}).status_code == 404
    assert Application.objects.values("data", "edit_version").get(pk=filled.pk) == before


def test_reviewers_cannot_open_the_upload_page(client, filled, bureau):
    Application.objects.filter(pk=filled.pk).update(status=Status.SUBMITTED)
    client.force_login(bureau)
    assert client.get(page(filled)).status_code == 403


def test_a_sheet_renamed_to_escape_the_xml_scan_is_refused(filled, applicant):
    content = export(filled)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = package.namelist()
        sheet = next(n for n in names if n.startswith("xl/worksheets/sheet"))
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        body = package.read(sheet)
    renamed = sheet.replace(".xml", ".bin")
    hidden = repack(content, replace={"xl/_rels/workbook.xml.rels": rels.replace(sheet[3:], renamed[3:])})
    hidden = repack(hidden, replace={"[Content_Types].xml": types.replace(sheet, renamed)}, add={renamed: body})
    before = Application.objects.get(pk=filled.pk)
    assert "没有的部件" in run(filled, applicant, hidden).refused
    assert unchanged(filled, before)


def test_a_submitted_versions_workbook_cannot_silently_revert_later_edits(filled, applicant, settings, tmp_path):
    from applications import submission

    settings.MEDIA_ROOT = tmp_path
    factories.attach_required(filled, applicant)
    submission.submit(filled, applicant)
    submission.withdraw(filled, applicant)
    filled.refresh_from_db()
    save_cells(filled, {"cluster_name": "撤回后改过的名称"}, filled.edit_version)
    filled.refresh_from_db()
    result = run(filled, applicant, export(filled, version=1))  # exported after the edit, from 第1版
    assert "没有导入任何内容" in result.refused and filled.data["cluster_name"] == "撤回后改过的名称"


def test_an_import_the_engine_partly_rejects_saves_nothing(filled, applicant, monkeypatch):
    from documents import workbook_import

    def rejecting(*args, **kwargs):
        result = save_cells(*args, **kwargs)  # writes the valid changes…
        result.rejected = {"area": "格式不正确，未能保存。"}  # …then one is found unstorable
        return result

    monkeypatch.setattr(workbook_import, "save_cells", rejecting)
    before = Application.objects.get(pk=filled.pk)
    result = run(
        filled, applicant, edited(export(filled), (place(filled, "area"), 77), (place(filled, "employees"), 5))
    )
    assert "本次没有导入任何内容" in result.refused and result.errors[0].message == "格式不正确，未能保存。"
    assert unchanged(filled, before)
