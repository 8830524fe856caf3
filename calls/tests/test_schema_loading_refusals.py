"""A schema with one wrong entry is refused at load, with a sentence naming that entry.

Each example changes one entry of the 2024 schema; the message is asserted whole, so a check that
stops firing, or fires with another sentence or for another entry, fails here. The cache of built
schemas (a text under its SHA-256 never changes) is tested at the end.
"""

import copy
import re

import pytest

from calls.schema import loader
from calls.schema.loader import SchemaError, _Builder, build_schema, digest_of, parse_source, schema_file, schema_for

SOURCE = schema_file("cluster_2024")
DOC = parse_source(SOURCE)

BASIC = "sections[3] (key=basic)"
INDUSTRY = "sections[4] (key=industry)"
INNOVATION = "sections[5] (key=innovation)"
STANDARDS = f"{INNOVATION}.fields[2] (key=standards)"
INDICATORS = "sections[10] (key=performance).fields[19] (key=indicators)"


def exactly(message):
    """A `match` pattern for this message and nothing around it."""
    return f"^{re.escape(message)}$"


def refusal(change):
    """The message a copy of the 2024 schema is refused with after `change(doc)`."""
    doc = copy.deepcopy(DOC)
    change(doc)
    with pytest.raises(SchemaError) as refused:
        _Builder("broken.yaml", 2024, "0" * 64).build(doc)
    return str(refused.value)


def field(doc, section, index):
    return doc["sections"][section]["fields"][index]


def indicators(doc):
    return field(doc, 10, 19)


# --- The document as a whole ---


def test_a_schema_file_that_does_not_exist_is_refused_by_its_name():
    with pytest.raises(SchemaError, match=exactly("没有找到申报书结构文件 cluster_2099.yaml")):
        schema_file("cluster_2099")


def test_a_schema_that_is_a_list_not_a_mapping_is_refused_at_the_top():
    with pytest.raises(SchemaError) as refused:
        _Builder("broken.yaml", 2024, "0" * 64).build(["code", "version"])
    assert str(refused.value) == "broken.yaml (top): 应为键值结构"


def test_sections_written_as_a_mapping_are_refused():
    assert refusal(lambda d: d.update(sections={"plan": {}})) == "broken.yaml sections: 应为列表"


def test_help_texts_written_as_a_list_are_refused():
    assert refusal(lambda d: d.update(help=["accounting"])) == "broken.yaml help: 应为键值结构"


def test_a_section_key_used_twice_is_refused_naming_the_second():
    assert refusal(lambda d: d["sections"].append(copy.deepcopy(d["sections"][9]))) == (
        "broken.yaml sections[11]: 节 plan 重复"
    )


def test_a_field_key_used_in_two_sections_is_refused():
    def change(doc):
        doc["sections"][4]["fields"].append({"key": "area", "type": "decimal", "label": "占地面积"})

    assert refusal(change) == "broken.yaml field area: 字段键重复"


def test_two_fields_whose_cells_come_out_with_the_same_name_are_refused():
    # extra + __ + _b and extra_ + __ + b are both extra___b: the form could not tell them apart.
    def change(doc):
        doc["sections"][9]["fields"] += [
            {"key": "extra", "type": "text_group", "label": "补充", "max_chars": 100, "parts": [["_b", "甲", ""]]},
            {"key": "extra_", "type": "text_group", "label": "补充二", "max_chars": 100, "parts": [["b", "乙", ""]]},
        ]

    assert refusal(change) == "broken.yaml field extra_: 单元格名 extra___b 重复"


def test_two_regions_fields_are_refused_naming_both():
    def change(doc):
        doc["sections"][1]["fields"].append({"key": "other_regions", "type": "regions", "label": "其他盟市"})

    assert (
        refusal(change)
        == "broken.yaml sections: 只能有一个 regions（参与盟市）字段，现有 participating_regions, other_regions"
    )


def test_an_attachment_slot_key_used_twice_is_refused():
    def change(doc):
        doc["attachments"].append({**doc["attachments"][1], "label": "集群认定文件（续）"})

    assert refusal(change) == "broken.yaml attachments: 附件槽位键重复"


def test_a_schema_that_marks_no_field_as_the_title_is_refused_saying_why():
    assert refusal(lambda d: field(d, 1, 0).pop("roles")) == (
        "broken.yaml roles: 须有一个字段的用途为“名称”（roles: [title]）：各列表和文档以它称呼每份申报"
    )


@pytest.mark.parametrize("commitment", [{"items": []}, ["我单位承诺……"]])
def test_a_commitment_without_its_items_is_refused(commitment):
    assert refusal(lambda d: d.update(commitment=commitment)) == "broken.yaml commitment: 应包含 items（承诺条目）"


# --- Sections and fields ---


def test_a_section_with_an_unknown_key_is_refused_naming_it():
    assert refusal(lambda d: d["sections"][9].update(colour="red")) == (
        "broken.yaml sections[9] (key=plan): 未知的键 ['colour']"
    )


def test_a_section_for_an_unknown_document_is_refused_naming_the_documents():
    assert refusal(lambda d: d["sections"][9].update(document="annex")) == (
        "broken.yaml sections[9] (key=plan): document 应为 report、performance、commitment、form 之一，得到 'annex'"
    )


def test_a_field_with_an_unknown_key_is_refused_naming_it():
    assert refusal(lambda d: field(d, 4, 0).update(maximum=100)) == (
        f"broken.yaml {INDUSTRY}.fields[0] (key=output): 未知的键 ['maximum']"
    )


def test_a_text_field_cannot_be_asked_for_each_year():
    assert refusal(lambda d: field(d, 1, 0).update(per_year=True)) == (
        "broken.yaml sections[1] (key=cover).fields[0] (key=cluster_name): text 类型不能按年度填报"
    )


def test_a_block_on_an_answer_the_question_does_not_offer_is_refused():
    assert refusal(lambda d: field(d, 0, 4).update(blocks={"也许": "不能申报。"})) == (
        "broken.yaml sections[0] (key=eligibility).fields[4] (key=no_major_incidents): "
        "blocks 中的答案 '也许' 不在选项中"
    )


def test_a_choice_field_without_choices_is_refused():
    assert refusal(lambda d: field(d, 3, 8).update(choices=[])) == (
        f"broken.yaml {BASIC}.fields[8] (key=industry_type): choice 字段需要 choices"
    )


def test_a_table_cannot_be_printed_on_the_cover():
    assert refusal(lambda d: field(d, 5, 2).update(cover="标准")) == (
        f"broken.yaml {STANDARDS}: matrix 类型的字段不能印在封面上（封面每项只有一个值）"
    )


def test_print_must_be_true_or_false_not_a_word():
    assert refusal(lambda d: field(d, 3, 7).update(print="no")) == (
        f"broken.yaml {BASIC}.fields[7] (key=area): print 应为 true 或 false"
    )


@pytest.mark.parametrize(("places", "shown"), [(-1, "-1"), (True, "True"), ("2", "'2'")])
def test_decimal_places_must_be_a_whole_number_not_below_zero(places, shown):
    assert refusal(lambda d: field(d, 3, 7).update(places=places)) == (
        f"broken.yaml {BASIC}.fields[7] (key=area): places 应为不小于 0 的整数，得到 {shown}"
    )


def test_decimal_places_of_zero_are_accepted():
    doc = copy.deepcopy(DOC)
    field(doc, 3, 7)["places"] = 0
    assert _Builder("ok.yaml", 2024, "0" * 64).build(doc).fields["area"].places == 0


def test_a_standards_matrix_must_count():
    assert refusal(lambda d: field(d, 5, 2).update(cell_type="decimal")) == (
        f"broken.yaml {STANDARDS}: matrix 需要 rows、columns，cell_type 为 count"
    )


# --- The columns of a rows field (绩效指标) ---


def test_a_column_without_a_type_is_refused_naming_the_column():
    assert refusal(lambda d: indicators(d)["columns"][2].pop("type")) == (
        f"broken.yaml {INDICATORS}.columns[2]: 列需要 key 和 type（choice 或 text）"
    )


def test_a_choice_column_without_choices_is_refused():
    assert refusal(lambda d: indicators(d)["columns"][0].update(choices=[])) == (
        f"broken.yaml {INDICATORS}.columns[0]: 选择列需要 choices（有 parent 时为按上级选项分组的键值结构）"
    )


def test_a_child_column_with_a_flat_list_of_choices_is_refused():
    assert refusal(lambda d: indicators(d)["columns"][1].update(choices=["数量指标"])) == (
        f"broken.yaml {INDICATORS}.columns[1]: 选择列需要 choices（有 parent 时为按上级选项分组的键值结构）"
    )


def test_a_column_whose_parent_is_not_a_column_is_refused():
    assert refusal(lambda d: indicators(d)["columns"][1].update(parent="level0")) == (
        f"broken.yaml {INDICATORS}: 列 level2 的 parent level0 不存在"
    )


def test_a_rows_field_without_columns_is_refused():
    assert refusal(lambda d: indicators(d).update(columns=[])) == f"broken.yaml {INDICATORS}: rows 字段需要 columns"


@pytest.mark.parametrize("name", ["column", "numeric", "unit"])
def test_each_part_of_the_qualitative_setting_must_name_a_column(name):
    assert refusal(lambda d: indicators(d)["qualitative"].update({name: "remark"})) == (
        f"broken.yaml {INDICATORS}: qualitative.{name} 应为已有的列"
    )


def test_require_each_must_name_a_column():
    assert refusal(lambda d: indicators(d).update(require_each="level3")) == (
        f"broken.yaml {INDICATORS}: require_each 应为已有的列"
    )


# --- Rules, warnings, attachments ---


def test_a_rule_of_an_unknown_kind_is_refused():
    assert refusal(lambda d: d["rules"][0].update(kind="sum")) == "broken.yaml rules[0]: 未知的规则类型 'sum'"


@pytest.mark.parametrize(("index", "kind", "key"), [(0, "sum_equals", "parts"), (2, "date_order", "end")])
def test_a_rule_missing_one_of_its_entries_is_refused_naming_it(index, kind, key):
    assert refusal(lambda d: d["rules"][index].pop(key)) == f"broken.yaml rules[{index}]: {kind} 需要 {key}"


def test_a_sum_whose_part_is_a_growth_rate_is_refused():
    assert refusal(lambda d: d["rules"][0]["parts"].append("output_growth")) == (
        "broken.yaml rules[0]: 字段 output_growth 的类型 growth 不适用于此规则"
    )


def test_a_warning_of_an_unknown_kind_is_refused():
    assert refusal(lambda d: d["warnings"][0].update(kind="ratio")) == "broken.yaml warnings[0]: 未知的提示类型 'ratio'"


def test_a_warning_under_an_unknown_condition_is_refused():
    assert refusal(lambda d: d["warnings"][3].update(when="multi_region")) == (
        "broken.yaml warnings[3]: 未知的条件 'multi_region'"
    )


def test_an_attachment_in_a_section_that_does_not_exist_is_refused():
    assert refusal(lambda d: d["attachments"][1].update(section="eligibilty")) == (
        "broken.yaml attachments[1]: 附件所在节 'eligibilty' 不存在"
    )


def test_an_attachment_required_when_a_field_is_named_without_a_test_is_refused():
    assert refusal(lambda d: d["attachments"][2].update(required_when={"field": "standards"})) == (
        "broken.yaml attachments[2]: 条件需要 equals 或 positive"
    )


# --- The rubric and the statistics ---


def test_a_rubric_dimension_without_a_weight_is_refused():
    assert (
        refusal(lambda d: d["rubric"][0].pop("weight")) == "broken.yaml rubric[0]: 每个评分维度须有 key、title、weight"
    )


def test_a_rubric_dimension_with_an_unknown_key_is_refused_naming_it():
    assert refusal(lambda d: d["rubric"][0].update(colour="red")) == "broken.yaml rubric[0]: 未知的键：colour"


def test_a_rubric_dimension_key_used_twice_is_refused():
    assert (
        refusal(lambda d: d["rubric"][1].update(key="scale")) == "broken.yaml rubric[1]: 评分维度键 'scale' 无效或重复"
    )


@pytest.mark.parametrize(("weight", "shown"), [(0, "0"), (20.5, "20.5"), (True, "True")])
def test_a_rubric_weight_must_be_a_positive_whole_number(weight, shown):
    assert refusal(lambda d: d["rubric"][0].update(weight=weight)) == (
        f"broken.yaml rubric[0]: 权重应为正整数，得到 {shown}"
    )


def test_an_empty_statistics_list_is_refused():
    assert refusal(lambda d: d.update(statistics=[])) == "broken.yaml statistics: 应列出统计分组（title、figures）"


def test_a_statistics_group_without_figures_is_refused():
    assert refusal(lambda d: d["statistics"][0].pop("figures")) == (
        "broken.yaml statistics[0]: 每个统计分组须有 title 和 figures"
    )


def test_a_statistics_figures_sum_must_be_true_or_false():
    assert refusal(lambda d: d["statistics"][0]["figures"][2].update(sum="yes")) == (
        "broken.yaml statistics[0].figures[2]: sum 应为 true 或 false，得到 'yes'"
    )


# --- Built schemas are kept by digest ---


def never_read():
    raise AssertionError("a built schema was read again")


def test_a_stored_text_that_does_not_match_its_digest_is_refused():
    with pytest.raises(SchemaError, match=exactly("上传的结构：内容与其 SHA-256 摘要不符，可能已被改动，拒绝使用。")):
        schema_for("0" * 64, 2024, lambda: SOURCE, "上传的结构")


def test_a_built_schema_is_not_read_again_until_forgotten():
    built = build_schema(SOURCE, 2024)
    assert schema_for(digest_of(SOURCE), 2024, never_read) is built
    loader.forget()
    with pytest.raises(SchemaError, match="内容与其 SHA-256 摘要不符"):
        schema_for(digest_of(SOURCE), 2024, lambda: SOURCE + "\n# changed\n")


def test_beyond_the_kept_number_the_oldest_built_schema_is_dropped(monkeypatch):
    monkeypatch.setattr(loader, "_KEEP", 1)
    loader.forget()
    build_schema(SOURCE, 2024)
    newest = build_schema(SOURCE, 2025)
    assert schema_for(digest_of(SOURCE), 2025, never_read) is newest
    with pytest.raises(SchemaError, match="内容与其 SHA-256 摘要不符"):
        schema_for(digest_of(SOURCE), 2024, lambda: SOURCE + "\n# changed\n")
