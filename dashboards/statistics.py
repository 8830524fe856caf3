"""The statistics under a figure table, as pure functions over Decimals: what a value is, and how a column of
them is summed, averaged, split at its middle and rounded (docs/dashboards.md § 统计口径).

The database counts, adds and finds the middle of the indexed figures (dashboards/figure_queries.py);
what it found is turned into a `Stats` here, by the same rules as a plain list of values, so the two
can never round differently (dashboards/tests/test_sql_matches_python.py compares them).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from calls.schema.values import NONE_ANSWER

# A mean or a median of whole numbers (企业数量) keeps one decimal: 0.4 家 says more than 0 家.
COUNT_AVERAGE_PLACES = 1


def number(raw):
    """A stored value as a number; 无, empty or anything not a number is None (no value)."""
    if raw is None or raw == "" or raw == NONE_ANSWER or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rounded(value, places):
    """四舍五入 to `places` decimals, as statistical tables round."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def average_places(figure):
    """The decimals of a figure's mean and median: its own, but one for a count."""
    return COUNT_AVERAGE_PLACES if figure.is_count else figure.places


def middle(ordered):
    """The middle one of an odd number of sorted values, or the middle two of an even number: [] for none.

    In the database's terms (1-based positions) these are positions (n + 1) // 2 to (n + 2) // 2.
    """
    n = len(ordered)
    return ordered[(n - 1) // 2 : n // 2 + 1]


def median(middle_values):
    """The median from `middle(values)`: the one middle value, or the mean of the two."""
    return sum(middle_values, Decimal(0)) / len(middle_values)


@dataclass(frozen=True)
class Stats:
    count: int  # applications with a value (无 and empty are not values)
    total: Decimal | None  # None for a figure with no 合计 (ratios, growth rates, per-unit figures)
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


NO_STATS = Stats(0, None, None, None, None, None)


def summarised(figure, count, total, minimum, maximum, middle_values):
    """The Stats of `count` values of `figure` with that sum, extremes and middle, rounded 四舍五入: a 合计,
    minimum and maximum to the figure's decimals, a mean and median to `average_places`."""
    if not count:
        return NO_STATS
    places = average_places(figure)
    return Stats(
        count=count,
        total=rounded(total, figure.places) if figure.additive else None,
        mean=rounded(total / count, places),
        median=rounded(median(middle_values), places),
        minimum=rounded(minimum, figure.places),
        maximum=rounded(maximum, figure.places),
    )


def stats_of(values, figure):
    """count, 合计, mean, median, min and max of the values present (None is no value)."""
    present = sorted(v for v in values if v is not None)
    if not present:
        return NO_STATS
    return summarised(figure, len(present), sum(present, Decimal(0)), present[0], present[-1], middle(present))
