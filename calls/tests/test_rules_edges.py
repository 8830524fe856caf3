"""Rules over more than one value, each called on the 2024 call's own fields, at the edge where it starts.

Each test stands where changing one operator, index or constant in calls/schema/rules.py would change
what an applicant is told (`make mutation`, docs/testing.md). The sums, dates, the plan's 3,000 字 and
the cross-checks' tolerances have their edges in test_check_boundaries.py.
"""

from decimal import Decimal

import pytest

from calls.schema import Context, load_schema, rules

NAMES = "platforms_national__names"


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def messages(found):
    return [message for _, message in found]


# --- Reading numbers for the rules ---


def test_a_rule_reads_numbers_with_up_to_six_decimals_and_no_more():
    assert rules.number({"share": "12.345"}, "share") == Decimal("12.345")
    assert rules.number({"share": "0.123456"}, "share") == Decimal("0.123456")
    assert rules.number({"share": "0.1234567"}, "share") is None


def test_sums_are_shown_with_two_decimals_and_a_sum_of_nothing_as_zero():
    assert rules.fmt(Decimal("1234.5")) == "1234.50"
    assert rules.fmt(0) == "0"


def test_a_wrong_sum_names_both_the_total_and_the_sum_in_its_message(schema):
    data = {"fund_total": "100.00", "fund_regional": "50.00", "fund_city": "30.00", "fund_other": "10.00"}
    assert list(rules.sum_equals(schema.rules[0], data)) == [
        ("fund_total", "年度资金总额 100.00 万元应等于自治区奖补资金、盟市配套资金与其他资金之和 90.00 万元。")
    ]


# --- 名称 beside a count ---


def named(count, *names):
    return {"platforms_national__count": str(count), NAMES: list(names)}


def test_a_name_may_have_one_hundred_characters_and_not_one_more(schema):
    field = schema.fields["platforms_national"]
    assert messages(rules.named_count(field, named(2, "字" * 100, "国家稀土功能材料创新中心"))) == []
    assert messages(rules.named_count(field, named(2, "国家稀土功能材料创新中心", "字" * 101))) == [
        "第2个名称过长（限100字）。"
    ]


# --- Lists of text: 目标 ---


def test_a_goal_may_have_three_hundred_characters_and_the_message_counts_from_one(schema):
    field = schema.fields["goals"]
    assert messages(rules.text_list(field, {"goals": ["字" * 300]})) == []
    assert messages(rules.text_list(field, {"goals": ["字" * 300, "字" * 301]})) == ["第2项限300字以内，现有301字。"]


def test_parts_of_the_plan_left_unanswered_count_no_characters(schema):
    field = schema.fields["plan"]
    first = field.cells[0].name
    assert messages(rules.text_group_total(field, {first: "字" * 3000})) == []


# --- 绩效指标 rows ---

ROW = {"level1": "产出指标", "level2": "数量指标", "name": "新增规上企业", "sign": "≥", "value": "10", "unit": "家"}


def row_problems(schema, *rows_):
    return messages(rules.rows(schema.fields["indicators"], {"indicators": list(rows_)}))


def test_a_complete_indicator_row_has_no_problem(schema):
    assert row_problems(schema, ROW) == []


def test_a_blank_row_does_not_hide_the_rows_after_it(schema):
    blank = dict.fromkeys(ROW, "")
    assert row_problems(schema, blank, ROW | {"sign": "约"}) == ["第2行符号“约”不是可选项。"]


def test_empty_and_text_columns_do_not_hide_the_choices_after_them(schema):
    row = ROW | {"level1": "", "level2": "", "sign": "约"}
    assert row_problems(schema, row) == ["第1行符号“约”不是可选项。"]


def test_an_indicator_name_may_have_sixty_characters_and_not_one_more(schema):
    assert row_problems(schema, ROW | {"name": "字" * 60}) == []
    assert row_problems(schema, ROW | {"name": "字" * 61}) == ["第1行三级指标限60字以内。"]


def test_an_unknown_first_level_is_named_and_so_is_the_second_level_under_it(schema):
    assert row_problems(schema, ROW | {"level1": "其他指标"}) == [
        "第1行一级指标“其他指标”不是可选项。",
        "第1行二级指标“数量指标”不属于一级指标“其他指标”。",
    ]


def test_a_row_missing_columns_is_left_to_the_missing_check(schema):
    # Rows come from the form with every column; stored data from elsewhere may lack some, and then it
    # is the missing-value check that speaks, not a complaint about a value nobody gave.
    partial = {key: ROW[key] for key in ("level2", "name", "sign", "unit")}
    assert row_problems(schema, partial) == []


def test_a_numeric_indicator_says_its_value_must_be_a_number(schema):
    assert row_problems(schema, ROW | {"value": "显著提升"}) == [
        "第1行指标值应为数值（定性指标请将符号选为“定性”）：请填写数字，如 12.50 或 -3.20。"
    ]


def test_a_blank_row_is_reported_and_the_rows_after_it_still_checked(schema):
    blank = dict.fromkeys(ROW, "")
    missing = rules.rows_missing(schema.fields["indicators"], {"indicators": [blank, ROW | {"unit": ""}]})
    assert messages(missing)[:2] == ["第1行为空，请填写或删除。", "第2行请填写计量单位。"]


# --- 参与盟市 ---


@pytest.mark.parametrize(
    "code, expected",
    [("150500", []), ("159900", ["参与盟市不正确，请重新选择。"]), ("150200", ["牵头盟市无需再勾选为参与盟市。"])],
)
def test_a_participating_region_must_exist_and_not_be_the_lead(schema, code, expected):
    context = Context(lead_region_code="150200", regions={"150200": "包头市", "150500": "通辽市"})
    field = schema.fields["participating_regions"]
    assert messages(rules.regions(field, {"participating_regions": [code]}, context)) == expected
