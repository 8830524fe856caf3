"""The 绩效指标 table's rule that every 一级指标 has a row applies only where the schema asks for it.

The 2024 call asks (require_each: level1); a call whose table does not ask must accept rows under one
一级指标 alone. test_rules_edges.py has the rows rule's other edges.
"""

import copy

import pytest

from calls.schema import rules
from calls.schema.loader import _Builder, load_schema, parse_source, schema_file

OUTPUT_ROW = {
    "level1": "产出指标",
    "level2": "数量指标",
    "name": "培育企业数",
    "sign": "≥",
    "value": "10",
    "unit": "家",
}


def without_require_each():
    doc = copy.deepcopy(parse_source(schema_file("cluster_2024")))
    indicators = doc["sections"][10]["fields"][19]
    assert indicators["key"] == "indicators"
    del indicators["require_each"]
    return _Builder("no_require_each.yaml", 2024, "1" * 64).build(doc)


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def test_the_2024_table_needs_a_row_under_each_first_level_indicator(schema):
    missing = list(rules.rows_missing(schema.fields["indicators"], {"indicators": [OUTPUT_ROW]}))
    assert missing == [
        ("indicators", "一级指标“效益指标”下至少填写一项绩效指标。"),
        ("indicators", "一级指标“满意度指标”下至少填写一项绩效指标。"),
    ]


def test_a_table_that_does_not_ask_for_each_first_level_accepts_rows_under_one():
    field = without_require_each().fields["indicators"]
    assert field.require_each == ""
    assert list(rules.rows_missing(field, {"indicators": [OUTPUT_ROW]})) == []


def test_a_table_that_does_not_ask_for_each_first_level_still_needs_each_row_complete():
    field = without_require_each().fields["indicators"]
    assert list(rules.rows_missing(field, {"indicators": [OUTPUT_ROW | {"name": ""}]})) == [
        ("indicators", "第1行请填写三级指标。")
    ]
