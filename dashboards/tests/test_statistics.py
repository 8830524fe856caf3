"""The statistics' rules on plain numbers, at their edges: no value, one, ties, an even and an odd count.

Every expected answer is worked out by hand in the comment beside it, never by the code under test.
"""

from decimal import Decimal

import pytest

from calls.schema.statistics import StatFigure
from dashboards.statistics import NO_STATS, Stats, average_places, median, middle, number, rounded, stats_of

COUNT = StatFigure("patents", "有效发明专利", "个", 0, False, is_count=True)
AMOUNT = StatFigure("output", "集群总产值", "亿元", 2, True)
GROWTH = StatFigure("export_growth", "出口增速", "%", 2, True, additive=False)
D = Decimal


@pytest.mark.parametrize(
    ("ordered", "expected"),
    [
        ([], []),
        ([1], [1]),
        ([1, 2], [1, 2]),
        ([1, 2, 3], [2]),
        ([1, 2, 3, 4], [2, 3]),
        ([1, 2, 3, 4, 5], [3]),
        ([1, 2, 3, 4, 5, 6], [3, 4]),
    ],
)
def test_the_middle_is_one_value_of_an_odd_count_and_two_of_an_even_one(ordered, expected):
    assert middle(ordered) == expected


def test_a_median_is_the_middle_value_or_the_mean_of_the_middle_two():
    assert median([D("820.40")]) == D("820.40")
    assert median([D(2), D(3)]) == D("2.5")  # (2 + 3) ÷ 2
    assert median([D("-3.50"), D("2.10")]) == D("-0.70")  # (−3.50 + 2.10) ÷ 2 = −1.40 ÷ 2


def test_no_values_have_no_statistics():
    assert stats_of([], AMOUNT) == NO_STATS
    assert stats_of([None, None], AMOUNT) == NO_STATS  # 无 and empty answers are not values
    assert NO_STATS == Stats(0, None, None, None, None, None)


def test_one_value_is_its_own_total_mean_median_minimum_and_maximum():
    assert stats_of([None, D("7.25")], AMOUNT) == Stats(1, D("7.25"), D("7.25"), D("7.25"), D("7.25"), D("7.25"))


def test_an_odd_count_has_its_middle_value_as_median_whatever_the_order():
    stats = stats_of([D(30), None, D(10), D(20)], COUNT)
    # 10 + 20 + 30 = 60, ÷ 3 = 20; sorted 10, 20, 30: the middle is 20; a count averages to one decimal
    assert (stats.count, stats.total, str(stats.mean), str(stats.median)) == (3, D(60), "20.0", "20.0")
    assert (stats.minimum, stats.maximum) == (D(10), D(30))


def test_an_even_count_has_the_mean_of_the_middle_two_as_median():
    stats = stats_of([D(40), D(10), D(20), D(35)], COUNT)
    # sorted 10, 20, 35, 40: (20 + 35) ÷ 2 = 27.5; total 105, ÷ 4 = 26.25 → 26.3 (one decimal, half up)
    assert (stats.count, stats.total, str(stats.mean), str(stats.median)) == (4, D(105), "26.3", "27.5")


def test_ties_at_the_middle_are_the_median_and_ties_across_it_are_averaged():
    # sorted 1, 5, 5, 5: the middle two are 5 and 5
    assert stats_of([D(5), D(1), D(5), D(5)], COUNT).median == D("5.0")
    # sorted 1, 1, 2, 2: the middle two are 1 and 2, so 1.5, a value no application has
    assert stats_of([D(2), D(1), D(2), D(1)], COUNT).median == D("1.5")
    # all equal: every statistic is that value; 3 × 2.50 = 7.50
    assert stats_of([D("2.50")] * 3, AMOUNT) == Stats(3, D("7.50"), D("2.50"), D("2.50"), D("2.50"), D("2.50"))


def test_means_and_medians_round_half_up_to_the_figures_decimals():
    # (0.02 + 0.03) ÷ 2 = 0.025 → 0.03, for the mean and the median alike (half-even would give 0.02)
    stats = stats_of([D("0.02"), D("0.03")], AMOUNT)
    assert (str(stats.mean), str(stats.median)) == ("0.03", "0.03")
    # a negative half rounds away from zero: (−0.01 + 0.00) ÷ 2 = −0.005 → −0.01
    assert str(stats_of([D("-0.01"), D("0.00")], GROWTH).mean) == "-0.01"


def test_a_count_averages_to_one_decimal_anything_else_to_its_own():
    assert (average_places(COUNT), average_places(AMOUNT)) == (1, 2)
    assert str(stats_of([D(1), D(2)], COUNT).mean) == "1.5"
    whole_tonnes = StatFigure("waste", "固体废物", "吨", 0, False)
    assert str(stats_of([D(1), D(2)], whole_tonnes).mean) == "2"  # 1.5 → 2 at no decimals


def test_a_figure_that_does_not_add_up_has_no_total_but_every_other_statistic():
    stats = stats_of([D("-3.50"), D("2.10")], GROWTH)
    # (−3.50 + 2.10) ÷ 2 = −0.70, for the mean and the median of two
    assert stats == Stats(2, None, D("-0.70"), D("-0.70"), D("-3.50"), D("2.10"))


def test_totals_and_extremes_keep_the_figures_decimals():
    stats = stats_of([D("1402.6"), D("35")], AMOUNT)
    assert (str(stats.total), str(stats.minimum), str(stats.maximum)) == ("1437.60", "35.00", "1402.60")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("2.345", 2, "2.35"), ("2.344", 2, "2.34"), ("0.5", 0, "1"), ("-0.5", 0, "-1"), ("628.666", 1, "628.7")],
)
def test_rounding_is_half_up(value, places, expected):
    assert str(rounded(D(value), places)) == expected


def test_a_stored_answer_is_a_number_only_when_it_reads_as_one():
    assert number("1402.60") == D("1402.60") and str(number("1402.60")) == "1402.60"
    assert number(35) == D(35)
    assert number("无") is number("") is number(None) is None
