"""表一's three 是/否 declarations (PRODUCT.md §3): 否 says the cluster does not qualify, so it blocks.

The 2024 guide's 表一 asks whether the leading industry is outside the prohibited, restricted and
eliminated categories, whether there were accidents in three years, and whether there is tax evasion or
serious dishonesty. The schema declares each 否 under `blocks`, as the eligibility page's answers are.
"""

import pytest

from calls.schema import Context, load_schema, validate
from calls.schema.report import BLOCK, MISSING
from tests.application_data import complete_data

DECLARATIONS = {
    "not_prohibited": "集群主导产业属于国家规定的禁止、限制和淘汰类产业的，不符合申报条件。",
    "no_accidents": "近三年发生过较大及以上安全、质量、环境污染等事故，或重大及以上网络安全事件和数据安全事件的，"
    "不符合申报条件。",
    "no_violations": "存在偷税漏税、违法违规、严重失信或其他重大问题行为的，不符合申报条件。",
}


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def report(schema, **answers):
    data = complete_data(schema) | answers
    context = Context(lead_region_code="150200", regions={"150200": "包头市"},
                      attachments={s.key: 1 for s in schema.slots})  # fmt: skip
    return validate(schema, data, context)


@pytest.mark.parametrize("key", DECLARATIONS)
def test_yes_qualifies(schema, key):
    assert report(schema, **{key: "是"}).problems == []


@pytest.mark.parametrize("key, message", DECLARATIONS.items())
def test_no_is_a_blocking_problem_in_the_guides_words_next_to_the_answer(schema, key, message):
    found = report(schema, **{key: "否"})
    assert [(p.kind, p.section, p.cell, p.message) for p in found.problems] == [(BLOCK, "basic", key, message)]
    assert found.inline_errors() == {key: message}
    assert found.statuses["basic"] == "error"


@pytest.mark.parametrize("key", DECLARATIONS)
def test_an_unanswered_declaration_is_missing_as_before_and_not_shown_while_filling(schema, key):
    found = report(schema, **{key: ""})
    assert [(p.kind, p.cell, p.message) for p in found.problems] == [
        (MISSING, key, f"请选择{schema.cells[key].label}。")
    ]
    assert found.inline_errors() == {}


def test_the_declarations_block_by_the_schema_not_by_code(schema):
    assert {key: schema.fields[key].blocks for key in DECLARATIONS} == {k: {"否": m} for k, m in DECLARATIONS.items()}
    assert schema.fields["energy_efficiency"].blocks == {}  # 否 / 不涉及 about 能效 does not disqualify
