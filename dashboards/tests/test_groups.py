"""What a figure group's charts draw for each kind of figure."""

from calls.schema.statistics import StatFigure
from dashboards.groups import _aggregate


def test_counts_are_totalled_and_a_whole_number_that_is_not_a_count_is_averaged():
    enterprises = StatFigure("large_enterprises", "规模以上企业", "家", 0, True, is_count=True)
    tonnes = StatFigure("waste", "固体废物", "吨", 0, True)  # a decimal shown without decimals, not a count
    assert _aggregate(enterprises) == "合计"
    assert _aggregate(tonnes) == "平均值"
