"""Single values at their edges: what is stored, what is refused, and exactly where each limit falls.

Each test stands where changing one operator or constant in calls/schema/values.py would change what an
applicant is told or what is saved (`make mutation`, docs/testing.md).
"""

import datetime
import re
from decimal import Decimal

import pytest

from calls.schema import load_schema
from calls.schema.values import MAX_CELL_LENGTH, Invalid, check, normalise, parse_date, parse_decimal, parse_phone


def exactly(message):
    """A `match` pattern for this message and nothing around it."""
    return f"^{re.escape(message)}$"


REFUSED_FORMAT = exactly("格式不正确，未能保存。")
REFUSED_LENGTH = exactly("内容过长，未能保存。")


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


# --- What normalise stores ---


@pytest.mark.parametrize("value", [True, None, {"value": "12.5"}, ["12.5"]])
def test_a_single_value_must_be_text_or_a_number(schema, value):
    with pytest.raises(Invalid, match=REFUSED_FORMAT):
        normalise(schema.cells["output__2021"], value)


def test_a_number_posted_as_a_number_is_stored_like_typed_text(schema):
    assert normalise(schema.cells["output__2021"], 12.5) == "12.50"
    assert normalise(schema.cells["large_enterprises__2021"], 7) == "7"


def test_a_cell_may_hold_twenty_thousand_characters_and_not_one_more(schema):
    cell = schema.cells["industry_chain"]
    assert normalise(cell, "字" * MAX_CELL_LENGTH) == "字" * MAX_CELL_LENGTH
    with pytest.raises(Invalid, match=REFUSED_LENGTH):
        normalise(cell, "字" * (MAX_CELL_LENGTH + 1))


# --- Lists: 名称, 目标, 绩效指标 rows ---


def test_a_list_is_stored_as_its_cleaned_items(schema):
    assert normalise(schema.cells["goals"], [" 目标一\r\n", "目标\r二"]) == ["目标一", "目标\n二"]


@pytest.mark.parametrize("value", [None, ""])
def test_an_unanswered_list_is_stored_as_an_empty_list(schema, value):
    assert normalise(schema.cells["goals"], value) == []


def test_a_list_answer_must_be_a_list(schema):
    with pytest.raises(Invalid, match=REFUSED_FORMAT):
        normalise(schema.cells["goals"], "目标一")


def test_a_list_may_have_two_hundred_items_and_not_one_more(schema):
    cell = schema.cells["goals"]
    assert len(normalise(cell, ["目标"] * 200)) == 200
    with pytest.raises(Invalid, match=REFUSED_FORMAT):
        normalise(cell, ["目标"] * 201)


def test_every_item_of_a_list_must_be_text(schema):
    with pytest.raises(Invalid, match=REFUSED_FORMAT):
        normalise(schema.cells["platforms_national__names"], ["国家稀土功能材料创新中心", 3])


def test_a_list_item_may_hold_twenty_thousand_characters_and_not_one_more(schema):
    cell = schema.cells["goals"]
    assert normalise(cell, ["字" * MAX_CELL_LENGTH]) == ["字" * MAX_CELL_LENGTH]
    with pytest.raises(Invalid, match=REFUSED_LENGTH):
        normalise(cell, ["字", "字" * (MAX_CELL_LENGTH + 1)])


def test_an_indicator_row_keeps_exactly_the_schemas_columns_cleaned(schema):
    row = {"level1": " 产出指标 ", "name": "新增\r\n企业", "unknown": "丢弃"}
    assert normalise(schema.cells["indicators"], [row]) == [
        {"level1": "产出指标", "level2": "", "name": "新增\n企业", "sign": "", "value": "", "unit": ""}
    ]


@pytest.mark.parametrize("row", ["产出指标", {"level1": "产出指标", "value": 12}])
def test_an_indicator_row_must_be_a_mapping_of_text(schema, row):
    with pytest.raises(Invalid, match=REFUSED_FORMAT):
        normalise(schema.cells["indicators"], [row])


# --- Dates and telephone numbers ---


@pytest.mark.parametrize("typed", ["明天", "2024-02-30"])
def test_text_that_is_not_a_real_date_is_refused_with_an_example(typed):
    with pytest.raises(Invalid, match=exactly("请填写正确的日期，如 2024-03-15。")):
        parse_date(typed)


def test_a_date_may_fall_on_its_latest_day_and_not_one_day_later():
    assert parse_date("2024-12-31", maximum="2024-12-31") == datetime.date(2024, 12, 31)
    with pytest.raises(Invalid, match=exactly("日期不能晚于 2024-12-31。")):
        parse_date("2025-01-01", maximum="2024-12-31")


def test_spaces_and_long_dashes_in_a_telephone_number_are_understood():
    assert parse_phone("139 0472 0001") == "13904720001"
    assert parse_phone("0472—5123456") == "0472-5123456"


def test_a_telephone_number_that_is_neither_mobile_nor_landline_is_refused_with_an_example():
    with pytest.raises(Invalid, match=exactly("请填写11位手机号码或带区号的固定电话（如 0472-1234567）。")):
        parse_phone("12345")


# --- What check says about a stored value ---


@pytest.mark.parametrize("name", ["output__2021", "recognition_date", "contact_phone", "commitment_accepted"])
def test_an_unanswered_cell_is_left_to_the_missing_check(schema, name):
    assert check(schema.cells[name], "", None) is None


def test_wu_never_ticks_the_commitment_box(schema):
    # It did: 无 passed as an answer to every question that is not a number, a date, a phone or a choice.
    assert check(schema.cells["commitment_accepted"], "无", None) == "请勾选确认。"


@pytest.mark.parametrize(("ticked", "expected"), [("1", None), ("0", "请勾选确认。"), ("on", "请勾选确认。")])
def test_the_commitment_box_is_ticked_only_by_one(schema, ticked, expected):
    assert check(schema.cells["commitment_accepted"], ticked, None) == expected


@pytest.mark.parametrize("name", ["recognition_date", "contact_phone", "recognition_level"])
def test_wu_is_refused_for_a_date_a_phone_and_a_choice_that_do_not_allow_it(schema, name):
    cell = schema.cells[name]
    assert check(cell, "无", None) == f"{cell.label}需要填写具体数值，不能填“无”。"


def test_a_short_text_may_have_its_limit_of_characters_and_not_one_more(schema):
    cell = schema.cells["cluster_name"]
    assert check(cell, "字" * 60, None) is None
    assert check(cell, "字" * 61, None) == "限60字以内，现有61字，超出1字。"


def test_a_part_of_the_plan_is_not_held_to_the_whole_plans_limit_on_its_own(schema):
    # The 3,000 字 are for all parts together (rules.text_group_total), not for each part.
    assert check(schema.cells["plan__intro"], "字" * 3001, None) is None


def test_a_stored_date_is_checked_against_its_latest_day(schema):
    assert check(schema.cells["recognition_date"], "2025-01-01", None) == "日期不能晚于 2024-12-31。"


def test_an_answer_outside_the_choices_is_refused(schema):
    assert check(schema.cells["recognition_level"], "other", None) == "请从选项中选择。"


def test_a_date_is_stored_in_iso_form(schema):
    assert normalise(schema.cells["recognition_date"], "2024/3/5") == "2024-03-05"


def test_control_characters_are_removed_before_storing(schema):
    assert normalise(schema.cells["cluster_name"], "包头\x00稀土\ufeff集群") == "包头稀土集群"


# --- Ranges and number text (calls/schema/values.py keeps parses; the mutation run forgets them) ---


def test_a_figure_may_be_exactly_zero_where_it_may_not_be_negative(schema):
    assert check(schema.cells["output__2021"], "0.00", None) is None
    assert check(schema.cells["output__2021"], "-0.01", None) == "不能小于 0。"
    assert check(schema.cells["cloud_ratio"], "0.00", None) is None


def test_a_figure_with_only_an_upper_limit_may_reach_it_and_not_pass_it():
    assert parse_decimal("100.00", 2, None, 100) == Decimal("100.00")
    with pytest.raises(Invalid, match=exactly("不能大于 100。")):
        parse_decimal("100.01", 2, None, 100)


@pytest.mark.parametrize(("typed", "number"), [("1,234.5", "1234.50"), ("1 234.5", "1234.50"), ("−3.2", "-3.20")])
def test_separators_spaces_and_a_typographic_minus_are_understood(schema, typed, number):
    assert normalise(schema.cells["output_growth__2022"], typed) == number
