"""Every rule and cross-check of the 2024 call, exactly at its edge: equal, a cent over, a cent under.

A check written `>` that becomes `>=` (or a tolerance that drifts by one) changes what applicants are
told only at the boundary, so that is where these tests stand. The values are two-place decimals, as
the form stores them; hypothesis adds arbitrary values on both sides of each edge.
"""

import copy
import functools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calls.schema import Context, load_schema, validate
from tests.application_data import complete_data

CENT = Decimal("0.01")


@functools.cache
def schema():
    return load_schema("cluster_2024", 2024)


@functools.cache
def _complete():
    return complete_data(schema())


def report_for(**changes):
    """The report on a complete, clean record of the 2024 call with `changes` made to it."""
    data = copy.deepcopy(_complete())
    data.update({name: str(value) for name, value in changes.items()})
    context = Context(lead_region_code="150200", regions={"150200": "包头市", "150500": "通辽市"},
                      attachments={s.key: 1 for s in schema().slots})  # fmt: skip
    return validate(schema(), data, context)


def warned(report, fragment):
    return any(fragment in message for _, message in report.warnings)


def refused(report, cell, fragment=""):
    return any(p.cell == cell and fragment in p.message for p in report.problems)


def two_places(low, high):
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=2, allow_nan=False)


def test_the_complete_record_these_tests_start_from_is_clean():
    report = report_for()
    assert report.problems == [] and report.warnings == []


# --- Errors: sums and dates ---

FUND_SUM = "其他资金之和"


def funds(total, regional, city, other):
    """年度资金总额 and its three sources; the six uses are set to add up, so only the sources are judged."""
    uses = dict.fromkeys(("use_matching", "use_projects", "use_platforms", "use_services", "use_organisation"), "0.00")
    return report_for(fund_total=f"{total:.2f}", fund_regional=f"{regional:.2f}", fund_city=f"{city:.2f}",
                      fund_other=f"{other:.2f}", use_investment=f"{total:.2f}", **uses)  # fmt: skip


@pytest.mark.parametrize("other, wrong", [("13.25", False), ("13.26", True), ("13.24", True)])
def test_the_sources_must_add_up_to_the_total_to_the_cent(other, wrong):
    assert (
        refused(funds(Decimal("36.75"), Decimal("11.25"), Decimal("12.25"), Decimal(other)), "fund_total", FUND_SUM)
        is wrong
    )


@given(
    total=two_places("0", "1000000"),
    regional=two_places("0", "1000000"),
    city=two_places("0", "1000000"),
    off_by=st.sampled_from([-CENT, Decimal(0), CENT]) | two_places("-10", "10"),
)
def test_a_total_is_accepted_exactly_when_its_sources_add_up_to_it(total, regional, city, off_by):
    other = total - regional - city + off_by
    assume(other >= 0)
    assert refused(funds(total, regional, city, other), "fund_total", FUND_SUM) == (off_by != 0)


@pytest.mark.parametrize("use_organisation, wrong", [("6.15", False), ("6.16", True), ("6.14", True)])
def test_the_six_uses_must_add_up_to_the_total_to_the_cent(use_organisation, wrong):
    assert refused(report_for(use_organisation=use_organisation), "fund_total", "六项资金使用计划合计") is wrong


@pytest.mark.parametrize("end, wrong", [("2024-01-02", False), ("2024-01-01", True), ("2023-12-31", True)])
def test_the_implementation_period_must_end_at_least_a_day_after_it_starts(end, wrong):
    assert refused(report_for(perf_start="2024-01-01", perf_end=end), "perf_end") is wrong


@pytest.mark.parametrize("first_part, wrong", [(2993, False), (2994, False), (2995, True)])
def test_the_plan_may_have_three_thousand_characters_and_not_one_more(first_part, wrong):
    first, *others = (cell.name for cell in schema().fields["plan"].cells)
    texts = {first: "字" * first_part} | dict.fromkeys(others, "无")  # six more parts of one 字 each
    assert refused(report_for(**texts), "plan", "全文限3000字以内") is wrong


# --- Warnings: |增速| > 100 % and the cross-checks ---

BEYOND = "绝对值超过100%"


@pytest.mark.parametrize(
    "growth, warns",
    [("100.00", False), ("100.01", True), ("99.99", False), ("-100.00", False), ("-100.01", True), ("0.00", False)],
)
def test_a_growth_rate_warns_only_beyond_one_hundred_percent_either_way(growth, warns):
    assert warned(report_for(export_growth__2022=growth), BEYOND) is warns


@pytest.mark.parametrize(
    "field",
    ["output_growth__2021", "city_output_growth__2021", "patent_growth", "energy_reduction", "fdi_growth__2023"],
)
def test_every_growth_field_listed_has_the_same_edge(field):
    assert not warned(report_for(**{field: "-100.00"}), BEYOND)
    assert warned(report_for(**{field: "100.01"}), BEYOND)


@given(two_places("-1000", "1000"))
def test_a_growth_rate_warns_exactly_when_its_size_exceeds_one_hundred(growth):
    assert warned(report_for(export_growth__2022=f"{growth:.2f}"), BEYOND) == (abs(growth) > 100)


CITY_GROWTH = "盟市工业总产值增速填报为"  # 880.00 → 968.00 亿元 is 10.00 %; one point either way is tolerated


@pytest.mark.parametrize("stated, warns", [("11.00", False), ("11.01", True), ("9.00", False), ("8.99", True)])
def test_city_growth_may_differ_from_the_computed_rate_by_one_point(stated, warns):
    assert warned(report_for(city_output_growth__2023=stated), CITY_GROWTH) is warns


@given(two_places("-3", "3"))
def test_city_growth_warns_exactly_when_more_than_one_point_off(off_by):
    assert warned(report_for(city_output_growth__2023=f"{Decimal('10.00') + off_by:.2f}"), CITY_GROWTH) == (
        abs(off_by) > 1
    )


RD_INTENSITY = "2021年研发投入强度填报为"
# 研发投入强度 and 每万人有效发明专利拥有量 agree with the figures they come from when they are the computed value
# rounded to two places: at most 0.005 away, either way (`tolerance: rounding`).


@pytest.mark.parametrize(
    "stated, warns",
    # 17.00 ÷ 800.00 亿元 × 100 = 2.125 %: exactly half a cent from both 2.12 and 2.13
    [("2.12", False), ("2.13", False), ("2.11", True), ("2.14", True)],
)
def test_rd_intensity_exactly_half_a_cent_from_the_computed_value_agrees(stated, warns):
    report = report_for(rd_spend__2021="17.00", output__2021="800.00", rd_intensity__2021=stated)
    assert warned(report, RD_INTENSITY) is warns


@pytest.mark.parametrize(
    "stated, warns",
    # 17.01 ÷ 800.00 × 100 = 2.12625 %: 2.13 is the rounded value; 2.12 is 0.00625 away
    [("2.13", False), ("2.12", True)],
)
def test_rd_intensity_just_over_half_a_cent_away_warns(stated, warns):
    report = report_for(rd_spend__2021="17.01", output__2021="800.00", rd_intensity__2021=stated)
    assert warned(report, RD_INTENSITY) is warns


PER_10K = "每万人有效发明专利拥有量填报为"


@pytest.mark.parametrize(
    "patents, employees, stated, warns",
    [
        ("300", "20000", "150.00", False),
        ("300", "20000", "150.01", True),
        ("300", "20000", "149.99", True),
        ("1", "80000", "0.12", False),  # 0.125: half a cent from both neighbours
        ("1", "80000", "0.13", False),
        ("1", "80000", "0.11", True),
        ("1", "80000", "0.14", True),
        ("1", "3", "3333.33", False),  # 3333.333…
        ("1", "3", "3333.34", True),
    ],
)
def test_patents_per_ten_thousand_agree_within_the_rounding_to_two_places(patents, employees, stated, warns):
    assert warned(report_for(patents=patents, employees=employees, patents_per_10k=stated), PER_10K) is warns


@given(
    patents=st.integers(min_value=0, max_value=100000),
    employees=st.integers(min_value=1, max_value=10000000),
    off_by=st.sampled_from([Decimal("-0.01"), Decimal(0), Decimal("0.01")]),
)
def test_patents_per_ten_thousand_warn_exactly_when_more_than_half_a_cent_off(patents, employees, off_by):
    exact = Fraction(patents * 10000, employees)
    stated = Decimal(round(exact * 100)) / 100 + off_by  # the rounded value, or a cent either side
    assume(stated >= 0)
    report = report_for(patents=patents, employees=employees, patents_per_10k=f"{stated:.2f}")
    assert warned(report, PER_10K) == (abs(Fraction(stated) - exact) > Fraction(1, 200))


@pytest.mark.parametrize("output, warns", [("880.00", False), ("880.01", True), ("879.99", False)])
def test_a_single_city_cluster_may_produce_as_much_as_its_city_and_no_more(output, warns):
    assert warned(report_for(output__2022=output), "高于所在盟市工业总产值") is warns


@pytest.mark.parametrize("giants, warns", [("3", False), ("4", True), ("2", False)])
def test_little_giants_may_equal_the_specialised_smes_but_not_outnumber_them(giants, warns):
    # 2023: 3 专精特新中小企业
    assert warned(report_for(little_giants__2023=giants), "多于专精特新中小企业") is warns
