"""Numbers too large to be real figures, and blank or 无 answers, at their edges.

A figure of 10¹² or more in any unit the guide uses is a slip of the unit (元 for 亿元) or of the keyboard;
it is refused with a sentence. test_values_edges.py has the other single-value edges.
"""

import re

import pytest

from calls.schema import load_schema
from calls.schema.values import MAX_ABS_NUMBER, Invalid, normalise, parse_count, parse_decimal


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def test_the_largest_number_kept_is_just_below_a_million_million():
    assert MAX_ABS_NUMBER == 10**12
    assert str(parse_decimal("999999999999.99")) == "999999999999.99"
    assert str(parse_decimal("-999999999999.99")) == "-999999999999.99"


@pytest.mark.parametrize("typed", ["1000000000000", "1000000000000.00", "-1000000000000", "９９９９９９９９９９９９９"])
def test_a_decimal_of_a_million_million_or_more_either_way_is_refused_as_a_unit_slip(typed):
    with pytest.raises(Invalid, match=f"^{re.escape('数值过大，请检查单位。')}$"):
        parse_decimal(typed)


def test_a_count_may_be_just_below_a_million_million_and_not_reach_it():
    assert parse_count("999999999999") == 999999999999
    with pytest.raises(Invalid, match=f"^{re.escape('数值过大，请检查。')}$"):
        parse_count("1000000000000")


def test_a_too_large_figure_typed_into_the_form_is_kept_as_typed(schema):
    assert normalise(schema.cells["output__2021"], "1000000000000") == "1000000000000"
    assert normalise(schema.cells["output__2021"], "999999999999.5") == "999999999999.50"


@pytest.mark.parametrize(("typed", "stored"), [("  ", ""), ("\r\n", ""), (" 无 ", "无")])
@pytest.mark.parametrize("name", ["output__2021", "large_enterprises__2021", "recognition_date", "contact_phone"])
def test_a_blank_or_wu_answer_is_stored_trimmed_whatever_the_cell(schema, name, typed, stored):
    assert normalise(schema.cells[name], typed) == stored
