"""What the section templates are given: a rows field's rules are said in its own columns' words."""

from dataclasses import replace

from applications.form import _rows_rules
from calls.schema.loader import load_schema


def test_a_rows_field_says_its_rules_in_its_own_column_labels():
    field = load_schema("cluster_2024", 2024).fields["indicators"]
    assert _rows_rules(field) == "每个一级指标下至少填写一项；符号选“定性”时指标值填文字描述，计量单位可不填。"
    renamed = replace(
        field, columns=tuple({**c, "label": "类别"} if c["key"] == "level1" else c for c in field.columns)
    )
    assert _rows_rules(renamed).startswith("每个类别下至少填写一项")


def test_a_rows_field_without_rules_has_no_help_sentence():
    field = load_schema("cluster_2024", 2024).fields["indicators"]
    assert _rows_rules(replace(field, require_each="", qualitative={})) == ""
