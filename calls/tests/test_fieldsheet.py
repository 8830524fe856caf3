"""The 字段表 round trip: every schema survives export → import → YAML → build, and every mistake an
official can make in the workbook is reported at its sheet, row and column, all at once."""

import dataclasses
from io import BytesIO

import pytest
import yaml
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from calls.fieldsheet import (
    FieldsheetError,
    check_fieldsheet,
    check_source,
    dump_source,
    export_fieldsheet,
    import_fieldsheet,
)
from calls.fieldsheet.format import (
    FORMAT_VERSION,
    META_SHEET,
    RULE_NAMES,
    SHEET_COLUMNS,
    SOURCE_NAMES,
    TYPE_NAMES,
)
from calls.schema.loader import (
    DERIVED_SOURCES,
    FIELD_TYPES,
    RULE_KINDS,
    WARNING_KINDS,
    SchemaError,
    available_schemas,
    build_schema,
    parse_source,
    schema_file,
)
from calls.schema.model import Field, Schema, Section

TYPE_LIST = (
    "文字、长文本、小数、比例、增速、整数、单选、是否、是否不涉及、日期、电话、盟市、自动填写、确认、标准矩阵、"
    "名称与数量、条目列表、表格、分段长文本"
)


# --- helpers ---


def outline(schema):
    """Everything a built schema says but its digest, as plain values (Field and Cell refer to each other)."""
    skip = {"digest", "sections"}
    plain = {f.name: getattr(schema, f.name) for f in dataclasses.fields(Schema) if f.name not in skip}
    plain["sections"] = [_section_outline(s) for s in schema.sections]
    return plain


def _section_outline(section):
    plain = {f.name: getattr(section, f.name) for f in dataclasses.fields(Section) if f.name != "fields"}
    plain["fields"] = [_field_outline(f) for f in section.fields]
    return plain


def _field_outline(field):
    plain = {f.name: getattr(field, f.name) for f in dataclasses.fields(Field) if f.name != "cells"}
    plain["cells"] = [(c.name, c.label, c.kind, c.year, c.row, c.col, c.part) for c in field.cells]
    return plain


def normalised(doc):
    """A document without what the loader would default anyway: empty values, print: true, a figure
    or summary entry written as {field: x} alone."""
    if isinstance(doc, dict):
        if set(doc) == {"field"}:
            return doc["field"]
        return {
            str(k): normalised(v)
            for k, v in doc.items()
            if v not in (None, "", [], {}, ()) and not (k == "print" and v is True)
        }
    if isinstance(doc, list | tuple):
        return [normalised(v) for v in doc]
    return doc


def cluster_doc():
    return parse_source(schema_file("cluster_2024"))


def workbook_of(content):
    return load_workbook(BytesIO(content))


def saved(workbook):
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(ws, heading):
    return next(c.column for c in ws[1] if c.value == heading)


def row_of(ws, key, heading="字段代码"):
    n = column(ws, heading)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, n).value == key)


def edit(content, sheet, key, heading, value, key_heading="字段代码"):
    """The workbook with one cell of the row whose `key_heading` is `key` changed, as an official would."""
    workbook = workbook_of(content)
    ws = workbook[sheet]
    ws.cell(row_of(ws, key, key_heading), column(ws, heading)).value = value
    return saved(workbook)


def problems_of(content):
    with pytest.raises(FieldsheetError) as caught:
        import_fieldsheet(content)
    return caught.value.problems


@pytest.fixture(scope="module")
def exported():
    return export_fieldsheet(cluster_doc())


# --- round trip ---


@pytest.mark.parametrize("code", available_schemas())
def test_every_repository_schema_builds_the_same_after_the_round_trip(code):
    source = schema_file(code)
    original = build_schema(source, 2024, f"{code}.yaml")
    doc = import_fieldsheet(export_fieldsheet(parse_source(source)))
    rebuilt = build_schema(dump_source(doc), 2024)
    assert rebuilt.digest != original.digest
    assert outline(rebuilt) == outline(original)


@pytest.mark.parametrize("code", available_schemas())
def test_import_of_an_export_gives_the_document_back(code):
    doc = parse_source(schema_file(code))
    assert normalised(import_fieldsheet(export_fieldsheet(doc))) == normalised(doc)


def test_rarely_used_keys_survive_the_round_trip():
    doc = cluster_doc()
    digital = next(s for s in doc["sections"] if s["key"] == "digital")
    digital["fields"] += [
        {"key": "extra_goals", "type": "text_list", "label": "补充目标", "item_label": "目标", "min_items": 2,
         "max_chars": 100, "print": False},
        {"key": "margin", "type": "decimal", "label": "利润率", "min": -10.5, "max": 99.5, "places": 1,
         "required": True, "allow_none": True, "cover": "利润率", "print": False},
        {"key": "grade", "type": "choice", "label": "等级", "choices": ["甲", ["b", "乙"]],
         "blocks": {"b": "乙级不能申报{year}年的项目"}, "default": "甲", "help": "year_end"},
    ]  # fmt: skip
    doc["attachments"].append(
        {"key": "grade_doc", "label": "等级证明", "section": "digital", "types": ["pdf"], "required": False,
         "required_when": {"field": "grade", "equals": "甲"}}
    )  # fmt: skip
    del doc["commitment"]["closing"]
    back = import_fieldsheet(export_fieldsheet(doc))
    assert back == doc
    assert outline(build_schema(dump_source(back), 2024)) == outline(build_schema(dump_source(doc), 2024))


def test_the_cluster_document_comes_back_exactly_without_growing_default_keys(exported):
    assert import_fieldsheet(exported) == cluster_doc()


def test_dump_source_is_yaml_the_loader_reads_in_the_documents_key_order():
    doc = cluster_doc()
    text = dump_source(doc)
    assert text.startswith("# 由字段表生成")
    assert parse_source(text) == doc
    assert list(yaml.safe_load(text)) == list(doc)
    long_label = doc["sections"][0]["fields"][5]["label"]
    assert any(line.strip() == f"label: {long_label}" for line in text.splitlines())


def test_check_fieldsheet_returns_the_document_and_its_schema(exported):
    doc, schema = check_fieldsheet(exported, 2025)
    assert doc == cluster_doc()
    assert schema.years == (2022, 2023, 2024)
    assert schema.title == "2025年内蒙古自治区先进制造业集群项目申请报告"


def test_year_placeholders_stay_verbatim_through_the_round_trip(exported):
    ws = workbook_of(exported)["基本信息"]
    assert ws.cell(row_of(ws, "申报书标题", "项目"), 2).value == "{year}年内蒙古自治区先进制造业集群项目申请报告"
    doc = import_fieldsheet(exported)
    assert doc["title"] == "{year}年内蒙古自治区先进制造业集群项目申请报告"
    fields = {f["key"]: f for s in doc["sections"] for f in s["fields"]}
    assert fields["resource_use"]["label"] == "能源和资源综合利用工作情况（{last_year}）（200字以内）"
    assert fields["recognition_date"]["min"] == "{year}-01-01"
    schema = build_schema(dump_source(doc), 2026)
    assert schema.fields["resource_use"].label == "能源和资源综合利用工作情况（2025）（200字以内）"


def test_a_changed_label_and_limit_change_only_that_field(exported):
    content = edit(exported, "字段", "industry_chain", "标签", "集群产业链培育情况（300字以内）")
    content = edit(content, "字段", "industry_chain", "字数上限", 300)
    rebuilt = outline(build_schema(dump_source(import_fieldsheet(content)), 2024))
    expected = outline(build_schema(schema_file("cluster_2024"), 2024))
    field = next(f for s in expected["sections"] for f in s["fields"] if f["key"] == "industry_chain")
    field.update(label="集群产业链培育情况（300字以内）", max_chars=300)
    field["cells"] = [("industry_chain", "集群产业链培育情况（300字以内）", "longtext", None, None, None, None)]
    assert rebuilt == expected


def small_doc(label):
    """The smallest document the loader builds: one section, one field, one commitment, one rubric line."""
    return {
        "code": "tiny",
        "version": "1",
        "title": "{year}年申报书",
        "commitment": {"items": ["承诺"]},
        "sections": [{"key": "main", "title": "主体", "fields": [{"key": "name", "type": "text", "label": label,
                                                               "roles": ["title"]}]}],
        "rubric": [{"key": "all", "title": "总体", "weight": 100}],
        "attachments": [],
    }  # fmt: skip


# What an official may type as a label: any printable text, without spaces around it (those are trimmed).
LABELS = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).filter(
    lambda text: text.strip() == text
)


@settings(max_examples=40, deadline=None)
@given(LABELS)
def test_any_label_an_official_can_type_comes_back_as_typed(label):
    doc = small_doc(label)
    assert import_fieldsheet(export_fieldsheet(doc)) == doc


def test_text_that_looks_like_a_formula_is_written_as_text_and_read_back():
    doc = cluster_doc()
    doc["notes"][0] = "=以等号开头的说明"
    content = export_fieldsheet(doc)
    cell = workbook_of(content)["填报说明"]["A2"]
    assert (cell.value, cell.data_type) == ("=以等号开头的说明", "s")
    assert import_fieldsheet(content)["notes"][0] == "=以等号开头的说明"


# --- the workbook as officials see it ---


def test_every_code_of_the_loader_has_a_chinese_name():
    assert set(TYPE_NAMES) == FIELD_TYPES
    assert set(SOURCE_NAMES) == DERIVED_SOURCES
    assert set(RULE_NAMES) == set(RULE_KINDS) | set(WARNING_KINDS)


def test_headers_are_bold_and_frozen_and_choices_are_drop_downs(exported):
    workbook = workbook_of(exported)
    assert workbook.sheetnames[0] == "填写说明"
    for name, columns in SHEET_COLUMNS.items():
        ws = workbook[name]
        assert [c.value for c in ws[1]] == [c.heading for c in columns]
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes in ("A2", "C2")
        assert not ws.protection.sheet  # officials add rows
    fields = workbook["字段"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in fields.data_validations.dataValidation}
    assert lists["D2"] == '"' + TYPE_LIST.replace("、", ",") + '"'
    assert lists["J2"] == '"是,否"'
    for ws in workbook.worksheets:
        assert all(len(dv.formula1) <= 257 for dv in ws.data_validations.dataValidation)  # Excel's 255 + quotes
    assert workbook[META_SHEET].sheet_state == "veryHidden"


# --- what officials type ---


def test_whitespace_full_width_digits_english_codes_and_empty_rows_are_accepted(exported):
    workbook = workbook_of(exported)
    ws = workbook["字段"]
    row = row_of(ws, "area")
    ws.insert_rows(row)  # a fully empty row in the middle is skipped
    ws.cell(row + 1, column(ws, "标签")).value = "  集群占地面积（平方公里）\n"
    ws.cell(row + 1, column(ws, "类型")).value = "decimal"
    ws.cell(row + 1, column(ws, "小数位")).value = "３"
    slots = workbook["附件"]
    slots.cell(row_of(slots, "patents_list", "附件代码"), column(slots, "文件类型")).value = "PDF，.jpg\npng"
    doc = import_fieldsheet(saved(workbook))
    area = next(f for s in doc["sections"] for f in s["fields"] if f["key"] == "area")
    assert area == {
        "key": "area",
        "type": "decimal",
        "label": "集群占地面积（平方公里）",
        "unit": "平方公里",
        "places": 3,
        "min": 0,
    }
    assert next(s for s in doc["attachments"] if s["key"] == "patents_list")["types"] == ["pdf", "jpg", "png"]


def test_an_empty_cell_leaves_the_key_unset_so_the_loader_default_applies(exported):
    content = edit(exported, "字段", "output", "必填", "否")
    fields = {f["key"]: f for s in import_fieldsheet(content)["sections"] for f in s["fields"]}
    assert fields["output"]["required"] is False
    assert "required" not in fields["output_growth"]
    assert "unit" not in fields["output_growth"]  # a growth rate's % comes from the loader


def test_an_optional_sheet_may_be_deleted(exported):
    workbook = workbook_of(exported)
    del workbook["统计指标"]
    doc = import_fieldsheet(saved(workbook))
    assert "statistics" not in doc
    assert build_schema(dump_source(doc), 2024).statistics == ()


def test_rule_types_may_be_given_by_chinese_name_and_must_match_their_category(exported):
    workbook = workbook_of(exported)
    ws = workbook["校验规则"]
    ws["B2"] = "合计相等"
    ws["A3"] = "提示"
    problems = problems_of(saved(workbook))
    assert problems == ["工作表“校验规则”第 3 行“类别”：合计相等（sum_equals）属于“规则”。"]


# --- mistakes, each at its place ---


def test_an_unknown_type_is_named_with_its_row_column_and_the_allowed_types(exported):
    ws = workbook_of(exported)["字段"]
    row = row_of(ws, "area")
    problems = problems_of(edit(exported, "字段", "area", "类型", "小树"))
    assert problems == [
        f"工作表“字段”第 {row} 行（字段代码 area）“类型”：“小树”不是可用的类型，应为 {TYPE_LIST} 之一。"
    ]


def test_a_yes_no_cell_accepts_only_yes_or_no(exported):
    row = row_of(workbook_of(exported)["字段"], "output")
    problems = problems_of(edit(exported, "字段", "output", "必填", "可能"))
    assert problems == [f"工作表“字段”第 {row} 行（字段代码 output）“必填”：“可能”应为 是 或 否。"]


def test_decimal_places_must_be_a_whole_number(exported):
    for typed in ("两位", "2.5"):
        problems = problems_of(edit(exported, "字段", "area", "小数位", typed))
        assert len(problems) == 1
        assert problems[0].endswith(f"（字段代码 area）“小数位”：“{typed}”不是整数。")


def test_a_duplicated_field_code_names_both_rows(exported):
    ws = workbook_of(exported)["字段"]
    first, second = row_of(ws, "area"), row_of(ws, "not_prohibited")
    problems = problems_of(edit(exported, "字段", "not_prohibited", "字段代码", "area"))
    assert problems == [
        f"工作表“字段”第 {second} 行（字段代码 area）“字段代码”：与第 {first} 行重复，每个字段代码只能用一次。"
    ]


def test_a_field_in_a_section_that_does_not_exist(exported):
    row = row_of(workbook_of(exported)["字段"], "area")
    problems = problems_of(edit(exported, "字段", "area", "节代码", "basics"))
    assert problems == [f"工作表“字段”第 {row} 行（字段代码 area）“节代码”：“basics”不是“章节”表中的节代码。"]


def test_an_attachment_condition_naming_a_missing_field(exported):
    row = row_of(workbook_of(exported)["附件"], "patents_list", "附件代码")
    content = edit(exported, "附件", "patents_list", "必传条件", "patent>0", "附件代码")
    problems = problems_of(content)
    assert problems == [
        f"工作表“附件”第 {row} 行（附件代码 patents_list）“必传条件”：“patent”不是“字段”表中的字段代码。"
    ]


def test_attachment_conditions_read_back_as_the_yaml_writes_them(exported):
    content = edit(exported, "附件", "patents_list", "必传条件", "patents ＞ ０ 或 carbon_monitoring＝是", "附件代码")
    slot = next(s for s in import_fieldsheet(content)["attachments"] if s["key"] == "patents_list")
    assert slot["required_when"] == {
        "any": [{"field": "patents", "positive": True}, {"field": "carbon_monitoring", "equals": "是"}]
    }


def test_a_formula_is_refused_naming_its_cell(exported):
    workbook = workbook_of(exported)
    ws = workbook["字段"]
    row, col = row_of(ws, "area"), column(ws, "字数上限")
    ws.cell(row, col).value = "=1+1"
    coordinate = ws.cell(row, col).coordinate
    problems = problems_of(saved(workbook))
    assert problems == [
        f"工作表“字段”第 {row} 行“字数上限”：单元格 {coordinate} 是公式（=1+1）。"
        "字段表只接受直接填写的值，请把公式改为它的结果。"
    ]


def test_a_missing_required_sheet_is_refused(exported):
    workbook = workbook_of(exported)
    del workbook["附件"]
    assert problems_of(saved(workbook)) == [
        "工作表“附件”：缺少这张工作表。请在下载的字段表上修改，不要删除或改名工作表。"
    ]


def test_every_problem_of_the_workbook_is_listed_at_once(exported):
    content = edit(exported, "字段", "area", "类型", "小树")
    content = edit(content, "字段", "output", "必填", "可能")
    content = edit(content, "附件", "patents_list", "最多文件数", "很多", "附件代码")
    problems = problems_of(content)
    assert [p.split("”")[0] for p in problems] == ["工作表“字段", "工作表“字段", "工作表“附件"]
    assert "“最多文件数”：“很多”不是整数。" in problems[2]


def test_an_empty_file_and_a_blank_workbook_are_not_fieldsheets():
    assert problems_of(b"") == [
        "无法读取这个文件：它不是 Excel 工作簿（.xlsx）。请上传从申报批次页面下载、修改后保存的字段表。"
    ]
    problems = problems_of(saved(Workbook()))
    assert len(problems) == 1 and problems[0].startswith("这个工作簿不是本平台的字段表")


def test_our_workbook_with_every_row_deleted_says_what_is_missing(exported):
    workbook = workbook_of(exported)
    for ws in workbook.worksheets[1:]:
        if ws.title != META_SHEET:
            ws.delete_rows(2, ws.max_row)
    problems = problems_of(saved(workbook))
    assert "工作表“基本信息”：缺少“结构代码”一行。" in problems
    assert "工作表“章节”：没有任何一节。" in problems
    assert "工作表“字段”：没有任何字段。" in problems


def test_a_workbook_of_another_format_version_is_refused(exported):
    workbook = workbook_of(exported)
    workbook[META_SHEET]["B2"] = FORMAT_VERSION + 1
    problems = problems_of(saved(workbook))
    assert problems == [
        f"这个字段表的格式版本是 {FORMAT_VERSION + 1}，平台现在使用第 {FORMAT_VERSION} 版。"
        "请重新下载字段表，把修改誊到新下载的文件上再上传。"
    ]
    del workbook[META_SHEET]
    assert problems_of(saved(workbook))[0].startswith("这个工作簿不是本平台的字段表")


def test_an_unknown_column_heading_is_refused_but_a_remark_column_is_ignored(exported):
    workbook = workbook_of(exported)
    ws = workbook["字段"]
    ws.cell(1, ws.max_column + 1).value = "备注"
    ws.cell(2, ws.max_column).value = "自己的备注"
    assert import_fieldsheet(saved(workbook)) == cluster_doc()
    ws.cell(1, ws.max_column).value = "批注"
    assert problems_of(saved(workbook)) == [
        "工作表“字段”第 1 行：列标题“批注”无法识别，请改回下载时的列标题，或删除这一列。"
    ]


# --- errors the loader finds in the built schema ---


def test_a_loader_error_is_reported_at_the_fields_row(exported):
    row = row_of(workbook_of(exported)["字段"], "industry_chain")
    content = edit(exported, "字段", "industry_chain", "字数上限", None)
    with pytest.raises(FieldsheetError) as caught:
        check_fieldsheet(content, 2024)
    assert caught.value.problems == [
        f"工作表“字段”第 {row} 行（字段代码 industry_chain）：长文本需要 max_chars（字数上限）"
    ]


def test_a_loader_error_in_a_statistic_is_reported_at_its_row(exported):
    row = row_of(workbook_of(exported)["统计指标"], "cloud_ratio")
    content = edit(exported, "统计指标", "cloud_ratio", "字段代码", "software_rising")
    with pytest.raises(FieldsheetError) as caught:
        check_fieldsheet(content, 2024)
    assert caught.value.problems[0].startswith(f"工作表“统计指标”第 {row} 行（字段代码 software_rising）：")


def test_rubric_weights_not_summing_to_100_are_reported_on_the_rubric_sheet(exported):
    content = edit(exported, "评分细则", "scale", "分值", 25, "代码")
    with pytest.raises(FieldsheetError) as caught:
        check_fieldsheet(content, 2024)
    assert caught.value.problems == ["工作表“评分细则”：各评分维度权重之和应为 100，现为 105"]


# --- check_source names the YAML line ---


def test_check_source_names_the_line_of_a_broken_field():
    lines = schema_file("cluster_2024").splitlines(keepends=True)
    start = lines.index("      - key: area\n")
    assert lines[start + 1] == "        type: decimal\n"
    lines[start + 1] = "        type: 小树\n"
    with pytest.raises(SchemaError) as caught:
        check_source("".join(lines), 2024)
    message = str(caught.value)
    assert f"第 {start + 1} 行" in message
    assert "(key=area)" in message and "未知字段类型 '小树'" in message


def test_check_source_names_the_line_of_a_field_named_by_key():
    text = schema_file("cluster_2024").replace('source: "field:cluster_name"', 'source: "field:cluster"')
    line = text.splitlines().index("      - key: cluster_name_mirror") + 1
    with pytest.raises(SchemaError) as caught:
        check_source(text, 2024)
    assert f"第 {line} 行 field cluster_name_mirror" in str(caught.value)


def test_check_source_keeps_the_line_of_a_syntax_error():
    with pytest.raises(SchemaError) as caught:
        check_source("code: [x\n", 2024)
    assert "YAML 格式错误" in str(caught.value) and "第 2 行" in str(caught.value)


def test_check_source_builds_a_good_text():
    assert check_source(schema_file("cluster_2024"), 2024).code == "cluster_2024"


def test_the_fieldsheet_says_what_it_is_and_that_the_platform_made_it(exported):
    properties = workbook_of(exported).properties
    assert properties.title == "字段表 cluster_2024 2024.1"
    assert properties.creator == django_settings.PLATFORM_NAME
