"""填报说明 rules for single values: two decimals, whole counts, 0–100 ratios, 字 limits, 无."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calls.schema import load_schema
from calls.schema.values import Invalid, check, count_chars, normalise, parse_count, parse_decimal


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def test_twelve_point_five_is_stored_as_twelve_point_fifty(schema):
    assert normalise(schema.cells["output__2021"], "12.5") == "12.50"


def test_three_decimals_are_refused_not_rounded(schema):
    cell = schema.cells["output__2021"]
    assert normalise(cell, "12.345") == "12.345"  # kept as typed, so nothing is lost
    assert "“12.345”有3位小数" in check(cell, "12.345", None)


def test_full_width_digits_and_thousands_separators_are_understood(schema):
    assert normalise(schema.cells["output__2021"], "１，２３４．５") == "1234.50"


def test_counts_are_whole_numbers_not_below_zero(schema):
    cell = schema.cells["large_enterprises__2021"]
    assert check(cell, "12", None) is None
    assert check(cell, "12.0", None) == "请填写不小于 0 的整数。"
    assert check(cell, "-3", None) == "请填写不小于 0 的整数。"


def test_ratios_lie_between_zero_and_one_hundred(schema):
    cell = schema.cells["cloud_ratio"]
    assert check(cell, "100.00", None) is None
    assert check(cell, "100.01", None) == "应在 0 到 100 之间。"
    assert check(cell, "-0.01", None) == "应在 0 到 100 之间。"


def test_growth_rates_may_be_negative(schema):
    assert check(schema.cells["output_growth__2022"], "-12.30", None) is None


def test_wu_is_accepted_only_where_the_schema_allows_it(schema):
    assert check(schema.cells["export_growth__2021"], "无", None) is None
    assert "不能填“无”" in check(schema.cells["output__2021"], "无", None)
    assert check(schema.cells["industry_chain"], "无", None) is None


def test_the_200_character_limit_counts_characters_that_are_not_whitespace(schema):
    cell = schema.cells["industry_chain"]
    assert check(cell, "字" * 200 + " \n\t　" * 50, None) is None
    assert check(cell, "字" * 201, None) == "限200字以内，现有201字，超出1字。"


def test_recognition_must_be_dated_in_the_call_year(schema):
    cell = schema.cells["recognition_date"]
    assert check(cell, "2024-06-01", None) is None
    assert check(cell, "2023-12-31", None) == "日期不能早于 2024-01-01。"


def test_a_blocking_eligibility_answer_says_why(schema):
    assert "不符合申报条件" in check(schema.cells["no_dishonesty"], "否", None)


def test_phone_numbers_accept_mobiles_and_landlines(schema):
    cell = schema.cells["contact_phone"]
    assert normalise(cell, "0472 - 5123456".replace(" ", "")) == "0472-5123456"
    assert check(cell, "13904720001", None) is None
    assert "手机号码" in check(cell, "12345", None)


# --- Properties ---

two_places = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(two_places)
def test_any_two_place_decimal_round_trips_exactly(value):
    assert parse_decimal(str(value)) == value
    assert parse_decimal(f"{parse_decimal(str(value)):.2f}") == value


@given(st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=3, allow_nan=False))
def test_three_significant_decimals_are_always_refused(value):
    text = f"{value:.3f}"
    assume(not text.endswith("0"))  # 12.340 has two significant places; hypothesis draws another example
    with pytest.raises(Invalid):
        parse_decimal(text)


@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2, allow_nan=False))
def test_ratio_accepts_exactly_zero_to_one_hundred(value):
    inside = Decimal(0) <= value <= Decimal(100)
    try:
        parse_decimal(str(value), 2, 0, 100)
        accepted = True
    except Invalid:
        accepted = False
    assert accepted == inside


def test_a_number_read_before_is_judged_again_under_each_cells_own_rules():
    # Answers are kept between checks (every autosave parses the same numbers): a value accepted as
    # 万元 is still refused as a 0–100 ratio, 12.345 is still refused as a two-place figure, and a count
    # of 150 is still refused where at most 100 may be.
    assert parse_decimal("150") == Decimal("150.00")
    with pytest.raises(Invalid, match="应在 0 到 100 之间"):
        parse_decimal("150", 2, 0, 100)
    assert parse_decimal("12.345", places=3) == Decimal("12.345")
    with pytest.raises(Invalid, match="3位小数"):
        parse_decimal("12.345")
    assert parse_count("150") == 150
    with pytest.raises(Invalid, match="应在 0 到 100 之间"):
        parse_count("150", maximum=100)
    for _ in range(2):  # a refusal is never kept as an answer
        with pytest.raises(Invalid):
            parse_decimal("12.5.1")


def test_padded_input_is_read_the_same_however_long(schema):
    padding = " " * 5000
    assert normalise(schema.cells["output__2021"], f"{padding}12.5{padding}") == "12.50"
    assert parse_decimal(f"{padding}12.5") == parse_decimal("12.5") == Decimal("12.50")


@given(st.integers(min_value=-(10**6), max_value=10**9))
def test_counts_accept_exactly_the_non_negative_integers(value):
    try:
        parsed = parse_count(str(value))
    except Invalid:
        parsed = None
    assert parsed == (value if value >= 0 else None)


@given(st.text())
def test_character_count_ignores_whitespace_and_never_exceeds_length(text):
    n = count_chars(text)
    assert 0 <= n <= len(text)
    assert count_chars(text + " \n\t\u3000") == n
    assert count_chars(text + "\n字") == n + 1  # after a line break: a prefix mark at the end would take 字
