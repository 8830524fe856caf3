"""专业领域: the taxonomy, and a call's `expertise:` section mapping its 主导产业 onto fields (checked at load)."""

import pytest

from calls import expertise
from calls.schema.loader import SchemaError, build_schema, schema_file


def _with(section):
    source = schema_file("cluster_2024")
    start = source.index("expertise:\n")
    end = source.index("\n\n", start)
    return source[:start] + section + source[end:]


def test_the_2024_call_maps_industry_and_name_words_onto_fields():
    schema = build_schema(schema_file("cluster_2024"), 2024)
    codes = schema.expertise.codes_for({"industry_type": "第二产业"}, "通辽铝基新材料产业集群")
    assert codes == ["new_materials", "equipment", "metallurgy", "economics"]  # taxonomy order
    assert schema.expertise.codes_for({}, "") == ["economics"]  # `always`


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("expertise:\n  field: industry_type\n  always: [rockets]", "没有这个专业领域代码"),
        ("expertise:\n  field: industry_type\n  choices: {第四产业: [economics]}", "没有这个选项"),
        ("expertise:\n  field: cluster_name", "单选字段"),
        ("expertise:\n  field: industry_type\n  weights: {}", "未知的键"),
    ],
)
def test_a_wrong_expertise_section_is_refused_at_load(section, problem):
    with pytest.raises(SchemaError, match=problem):
        build_schema(_with(section), 2024)


def test_typed_fields_are_read_as_labels_or_codes():
    assert expertise.parse("稀土、产业经济/财务, chemicals 火箭") == (
        ["rare_earth", "economics", "chemicals"],
        ["火箭"],
    )
    assert expertise.labels(["rare_earth", "economics"]) == "稀土、产业经济/财务"
