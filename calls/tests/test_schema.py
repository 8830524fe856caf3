"""The 2024 schema loads, says what the guide says, and a broken schema fails naming its entry."""

import pytest

from calls.schema import Context, SchemaError, load_schema, loader, validate
from tests.application_data import broken, complete_data

GUIDE_ORDER = ["eligibility", "cover", "commitment", "basic", "industry", "innovation", "digital", "green",
               "openness", "plan", "performance", "attachments"]  # fmt: skip


@pytest.fixture
def schema():
    return load_schema("cluster_2024", 2024)


def everything_attached(schema):
    return Context(
        organisation_name="包头稀土新材料产业集群促进会",
        lead_region_code="150200",
        lead_region_name="包头市",
        lead_bureau="包头市工业和信息化局",
        regions={"150200": "包头市", "150500": "通辽市"},
        attachments={slot.key: 1 for slot in schema.slots},
    )


def test_sections_follow_the_guide_order(schema):
    assert schema.section_keys == GUIDE_ORDER


def test_three_year_tables_cover_the_three_years_before_the_call_year(schema):
    assert schema.years == (2021, 2022, 2023)
    assert [c.name for c in schema.fields["output"].cells] == ["output__2021", "output__2022", "output__2023"]
    assert load_schema("cluster_2024", 2025).years == (2022, 2023, 2024)


def test_standards_matrix_is_year_by_category_by_role(schema):
    cells = schema.fields["standards"].cells
    assert len(cells) == 3 * 4 * 2
    assert "standards__2023__group__participate" in schema.cells


def test_commitment_has_the_seven_commitments_verbatim(schema):
    items = schema.commitment["items"]
    assert len(items) == 7
    assert items[6] == "奖补资金用于招商引资、产需对接、产业项目、共性平台、公共服务、集群促进组织自身建设等方面。"


def test_labels_derived_from_the_call_year(schema):
    assert schema.fields["resource_use"].label == "能源和资源综合利用工作情况（2023）（200字以内）"
    assert schema.fields["recognition_date"].min == "2024-01-01"


def test_software_purchases_are_in_wan_yuan_not_yi_yuan(schema):
    assert schema.fields["software_spend"].unit == "万元"


def test_a_complete_application_has_no_problem_and_no_warning(schema):
    report = validate(schema, complete_data(schema), everything_attached(schema))
    assert report.problems == []
    assert report.warnings == []
    assert set(report.statuses.values()) == {"done"}


def test_every_required_cell_reports_missing_alone(schema):
    context = everything_attached(schema)
    for name, cell in schema.cells.items():
        if cell.field.type == "derived" or not cell.field.required or cell.kind in {"names", "regions"}:
            continue
        report = validate(schema, broken(schema, "missing", name), context)
        assert {p.cell for p in report.problems} == {name}, name


def test_every_decimal_cell_refuses_three_decimals(schema):
    context = everything_attached(schema)
    for name, cell in schema.cells.items():
        if cell.kind in {"decimal", "ratio", "growth"}:
            report = validate(schema, broken(schema, "decimals", name), context)
            assert any(p.cell == name and "小数点后2位" in p.message for p in report.problems), name


def test_every_limited_text_refuses_one_character_too_many(schema):
    context = everything_attached(schema)
    for name, cell in schema.cells.items():
        if cell.kind == "longtext" and cell.field.type != "text_group":
            report = validate(schema, broken(schema, "words", name), context)
            messages = [p.message for p in report.problems if p.cell == name]
            assert messages == [f"限{cell.field.max_chars}字以内，现有{cell.field.max_chars + 1}字，超出1字。"]


def write_schema(tmp_path, monkeypatch, text):
    monkeypatch.setattr(loader, "SCHEMA_DIR", tmp_path)
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def schema_dir(tmp_path, monkeypatch):
    # Schemas are built once per text: a changed file is a new text, so nothing needs forgetting.
    return lambda text: write_schema(tmp_path, monkeypatch, text)


def test_a_schema_with_an_unknown_field_type_fails_naming_the_field(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("key: area\n        type: decimal", "key: area\n        type: decimel"))
    with pytest.raises(
        SchemaError, match=r"broken.yaml sections\[3\] \(key=basic\)\.fields\[7\] \(key=area\): 未知字段类型 'decimel'"
    ):
        load_schema("broken", 2024)


def test_a_rule_naming_a_missing_field_fails_loudly(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("parts: [fund_regional, fund_city, fund_other]", "parts: [fund_regional, fund_cty]"))
    with pytest.raises(SchemaError, match=r"rules\[0\]: 引用了不存在的字段 'fund_cty'"):
        load_schema("broken", 2024)


def test_an_attachment_slot_with_an_unsupported_type_fails(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("types: [pdf, jpg, png]\n    max_files: 1", "types: [pdf, exe]\n    max_files: 1"))
    with pytest.raises(SchemaError, match=r"attachments\[0\]: 不支持的文件类型 \['exe'\]"):
        load_schema("broken", 2024)


def test_broken_yaml_is_reported_with_the_file_name(schema_dir):
    schema_dir("code: [unclosed\n")
    with pytest.raises(SchemaError, match=r"broken\.yaml 第 2 行第 1 列: YAML 格式错误"):
        load_schema("broken", 2024)


def test_every_schema_file_is_checked_by_a_system_check(schema_dir):
    from calls.checks import schema_files_build

    schema_dir("code: x\n")
    [error] = schema_files_build(None)
    assert error.id == "calls.E001" and "缺少 version" in error.msg and error.obj == "calls/schemas/broken.yaml"


def test_the_repository_schema_files_pass_the_system_check():
    from calls.checks import schema_files_build

    assert schema_files_build(None) == []


def test_the_summary_names_key_figures_of_every_numbered_section(schema):
    sections = {schema.fields[key].section for key in schema.summary}
    assert sections >= {"eligibility", "basic", "industry", "innovation", "digital", "green", "openness", "performance"}


def test_summary_columns_give_the_last_year_of_a_per_year_field_with_its_unit(schema):
    headings = dict((cell.name, heading) for cell, heading in schema.summary_cells())
    assert headings["output__2023"] == "2023年集群总产值（亿元）"
    assert headings["high_tech__2023"] == "2023年国家级高新技术企业数量（家）"
    assert headings["co2_intensity__2023"] == "2023年单位产值二氧化碳排放量（吨/万元）"
    assert headings["fund_regional"] == "自治区奖补资金（万元）"
    assert "output__2021" not in headings


def summary_with(original, entry):
    return original.replace("summary:\n  - recognition_level\n", f"summary:\n  - {entry}\n")


def test_a_summary_naming_a_missing_field_fails_naming_the_entry(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(summary_with(original, "recognition_levl"))
    with pytest.raises(SchemaError, match=r"broken.yaml summary\[0\]: 引用了不存在的字段 'recognition_levl'"):
        load_schema("broken", 2024)


def test_a_summary_column_must_hold_one_value_per_application(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(summary_with(original, "standards"))
    with pytest.raises(SchemaError, match=r"summary\[0\]: 字段 standards 的类型 matrix 不能列入汇总表"):
        load_schema("broken", 2024)


def test_a_summary_entry_with_an_unknown_key_or_a_repeated_field_fails(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(summary_with(original, "{field: output, title: 产值}"))
    with pytest.raises(SchemaError, match=r"summary\[0\]: 应为字段键"):
        load_schema("broken", 2024)
    schema_dir(summary_with(original, "industry_type"))
    with pytest.raises(SchemaError, match=r"summary\[1\]: 字段 industry_type 重复"):
        load_schema("broken", 2024)


def test_the_rubric_has_the_six_default_dimensions_weighing_100(schema):
    assert [d.title for d in schema.rubric] == [
        "产业规模与集聚",
        "创新能力",
        "数字化",
        "绿色化",
        "开放合作",
        "发展规划与治理",
    ]
    assert sum(d.weight for d in schema.rubric) == 100
    assert schema.rubric[0].sections == ("basic", "industry")


def test_a_rubric_whose_weights_do_not_sum_to_100_fails(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("title: 开放合作\n    weight: 10", "title: 开放合作\n    weight: 15"))
    with pytest.raises(SchemaError, match=r"broken.yaml rubric: 各评分维度权重之和应为 100，现为 105"):
        load_schema("broken", 2024)


def test_a_rubric_dimension_naming_a_missing_section_fails(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("sections: [digital]", "sections: [digitl]"))
    with pytest.raises(SchemaError, match=r"rubric\[2\]: 没有这一节：digitl"):
        load_schema("broken", 2024)


def test_a_schema_without_a_rubric_fails(schema_dir):
    import yaml

    doc = loader.parse_source(loader.schema_file("cluster_2024"))
    del doc["rubric"]
    schema_dir(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    with pytest.raises(SchemaError, match=r"rubric: 应列出评分维度"):
        load_schema("broken", 2024)


def test_a_misspelt_top_level_key_is_named_not_ignored(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("\nrubric:\n", "\nrubrik:\n"))
    with pytest.raises(SchemaError, match=r"\(top\): 未知的键 \['rubrik'\]"):
        load_schema("broken", 2024)


def test_the_statistics_group_the_figures_the_issue_names(schema):
    groups = {g.title: [f.key for f in g.figures] for g in schema.statistics}
    assert groups == {
        "产业规模": ["output", "output_growth", "city_output"],
        "创新能力": ["rd_spend", "rd_intensity", "patents", "patents_per_10k"],
        "企业梯队": [
            "large_enterprises",
            "listed_enterprises",
            "single_champions",
            "little_giants",
            "specialised_smes",
            "innovative_smes",
            "high_tech",
        ],
        "数字化": ["cloud_ratio", "iiot_ratio", "software_spend"],
        "绿色化": ["co2_intensity", "energy_reduction", "solid_waste_ratio", "water_reuse_ratio"],
        "开放合作": ["export_growth", "fdi_growth", "overseas_branches"],
    }


def test_a_statistics_figure_carries_a_short_label_its_unit_and_decimals(schema):
    figures = {f.key: f for g in schema.statistics for f in g.figures}
    output = figures["output"]
    assert (output.label, output.unit, output.places, output.per_year, output.additive) == (
        "集群总产值",
        "亿元",
        2,
        True,
        True,
    )
    assert (figures["high_tech"].label, figures["high_tech"].places) == ("国家级高新技术企业", 0)
    assert (figures["cloud_ratio"].label, figures["cloud_ratio"].unit) == ("企业上云比例", "%")
    assert not figures["cloud_ratio"].per_year
    assert not figures["cloud_ratio"].additive  # a ratio has no 合计
    assert not figures["co2_intensity"].additive  # sum: false, a per-unit figure
    assert figures["high_tech"].is_count and not figures["output"].is_count
    assert not figures["patents_per_10k"].is_count  # a decimal, though a number of patents


def test_a_ratio_marked_sum_true_fails_naming_the_entry(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(
        original.replace(
            "      - {field: rd_intensity, label: 规上企业研发投入强度}", "      - {field: rd_intensity, sum: true}"
        )
    )
    with pytest.raises(SchemaError, match=r"statistics\[1\]\.figures\[1\]: 字段 rd_intensity 是比例或增速，不能相加"):
        load_schema("broken", 2024)


def test_a_statistics_label_written_with_its_unit_is_shown_without_it(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(
        statistics_with(
            original, "statistics:\n  - title: 产业规模\n    figures:\n      - {field: output, label: 总产值（亿元）}\n"
        )
    )
    figure = load_schema("broken", 2024).statistics[0].figures[0]
    assert (figure.label, figure.unit) == ("总产值", "亿元")


def statistics_with(original, figure):
    return original.replace("statistics:\n  - title: 产业规模\n    figures:\n      - output\n", figure)


def test_a_statistics_figure_naming_a_missing_field_fails_naming_the_entry(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(statistics_with(original, "statistics:\n  - title: 产业规模\n    figures:\n      - outpt\n"))
    with pytest.raises(SchemaError, match=r"broken.yaml statistics\[0\]\.figures\[0\]: 引用了不存在的字段 'outpt'"):
        load_schema("broken", 2024)


def test_a_statistics_figure_must_be_a_number(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(statistics_with(original, "statistics:\n  - title: 产业规模\n    figures:\n      - cluster_name\n"))
    with pytest.raises(
        SchemaError, match=r"statistics\[0\]\.figures\[0\]: 字段 cluster_name 的类型 text 不是数值，不能用于统计"
    ):
        load_schema("broken", 2024)


def test_a_statistics_figure_listed_twice_fails_naming_the_second(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("      - software_spend\n", "      - software_spend\n      - output\n"))
    with pytest.raises(SchemaError, match=r"statistics\[3\]\.figures\[3\]: 字段 output 重复"):
        load_schema("broken", 2024)


def test_a_statistics_group_without_figures_or_with_an_unknown_key_fails(schema_dir):
    original = (loader.Path(loader.__file__).parent.parent / "schemas" / "cluster_2024.yaml").read_text()
    schema_dir(original.replace("  - title: 数字化\n    figures:\n", "  - title: 数字化\n    figures: []\n    old:\n"))
    with pytest.raises(SchemaError, match=r"statistics\[3\]: 未知的键：old"):
        load_schema("broken", 2024)
    start, end = original.index("  - title: 数字化\n"), original.index("  - title: 绿色化\n")
    schema_dir(original[:start] + "  - title: 数字化\n    figures: []\n" + original[end:])
    with pytest.raises(SchemaError, match=r"statistics\[3\]: figures 应列出至少一个指标"):
        load_schema("broken", 2024)
    schema_dir(
        original.replace(
            "      - {field: rd_spend, label: 规上企业研发投入总额}", "      - {field: rd_spend, heading: 研发}"
        )
    )
    with pytest.raises(SchemaError, match=r"statistics\[1\]\.figures\[0\]: 应为字段键，或包含 field"):
        load_schema("broken", 2024)


def test_a_role_is_marked_once_on_a_field_of_a_type_it_can_use(schema_dir):
    original = loader.schema_file("cluster_2024")
    two_titles = original.replace("        roles: [contact_name]\n", "        roles: [contact_name, title]\n")
    schema_dir(two_titles)
    with pytest.raises(SchemaError, match=r"只能有一个字段标为 title（名称），现有 cluster_name, contact_person"):
        load_schema("broken", 2024)
    schema_dir(original.replace("        roles: [headline]\n", "        roles: [category]\n"))
    with pytest.raises(SchemaError, match="只能有一个字段标为 category"):
        load_schema("broken", 2024)
    moved = original.replace("        roles: [headline]\n", "").replace(
        "        roles: [category]\n", "        roles: [headline]\n"
    )
    schema_dir(moved)
    with pytest.raises(SchemaError, match=r"choice 类型的字段不能标为 headline"):
        load_schema("broken", 2024)


def test_only_one_section_holds_the_performance_table(schema_dir):
    original = loader.schema_file("cluster_2024")
    schema_dir(original.replace("    title: 主导产业情况\n", "    title: 主导产业情况\n    document: performance\n", 1))
    with pytest.raises(SchemaError, match="只能有一节的 document 为 performance"):
        load_schema("broken", 2024)


def test_a_help_text_opening_with_bracketed_words_carries_the_guides_note(schema):
    assert schema.fields["patents"].guide_note == "（需提供清单）"
    assert schema.fields["carbon_monitoring"].guide_note == "（如涉及，需提供佐证材料）"
    assert schema.fields["co2_formula"].guide_note == "（注：单位产值二氧化碳排放量需提供计算公式）"
    assert schema.fields["overseas_branches"].guide_note == "（需提供相关佐证材料）"
    # Advice for the form alone has no note, even when it names brackets later on.
    assert schema.fields["software_spend"].guide_note == ""
    assert schema.fields["export_growth"].guide_note == ""
