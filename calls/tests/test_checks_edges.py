"""Cross-check warnings called on the 2024 call's own definitions: zeros, gaps, and what each message says.

Each test stands where changing one operator or constant in calls/schema/checks.py would change what an
applicant is told (`make mutation`, docs/testing.md). The tolerances' edges are in test_check_boundaries.py.
"""

import pytest

from calls.schema import checks, load_schema
from calls.schema.rules import condition_holds


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


def warning(schema, kind, **overrides):
    """The 2024 call's cross-check of `kind`, with some of its settings changed."""
    return next(w for w in schema.warnings if w["kind"] == kind) | overrides


def said(found):
    return [message for _, message in found]


# --- 每万人有效发明专利拥有量 ---


def test_patents_per_ten_thousand_staff_are_not_checked_without_staff(schema):
    data = {"patents": "300", "employees": "0", "patents_per_10k": "150.00"}
    assert said(checks.per_capita(warning(schema, "per_capita"), data, schema, None)) == []


def test_patents_per_ten_thousand_staff_are_checked_for_a_single_employee(schema):
    data = {"patents": "1", "employees": "1", "patents_per_10k": "5000.00"}
    assert said(checks.per_capita(warning(schema, "per_capita"), data, schema, None)) == [
        "每万人有效发明专利拥有量填报为 5000.00，按有效发明专利 1 个 ÷ 从业人员 1 人 × 10000 "
        "计算约为 10000.00，请核实。"
    ]


# --- 盟市工业总产值增速 ---


def city(**figures):
    return {f"city_output{key}": value for key, value in figures.items()}


def test_a_city_growth_rate_is_not_checked_after_a_year_of_no_output(schema):
    data = city(__2022="0.00", __2023="968.00", _growth__2023="10.00")
    assert said(checks.growth_consistency(warning(schema, "growth_consistency"), data, schema, None)) == []


def test_a_city_growth_rate_from_an_output_of_one_is_checked(schema):
    data = city(__2022="1.00", __2023="2.00", _growth__2023="10.00")
    assert said(checks.growth_consistency(warning(schema, "growth_consistency"), data, schema, None)) == [
        "2023年盟市工业总产值增速填报为 10.00%，按工业总产值 1.00 亿元到 2.00 亿元计算约为 100.00%，请核实。"
    ]


def test_a_year_without_figures_does_not_stop_the_check_of_the_next(schema):
    data = city(__2022="880.00", __2023="968.00", _growth__2022="10.00", _growth__2023="25.00")
    assert said(checks.growth_consistency(warning(schema, "growth_consistency"), data, schema, None)) == [
        "2023年盟市工业总产值增速填报为 25.00%，按工业总产值 880.00 亿元到 968.00 亿元计算约为 10.00%，请核实。"
    ]


# --- 研发投入强度 ---


def test_rd_intensity_is_not_checked_in_a_year_without_output(schema):
    data = {"rd_spend__2021": "10.00", "output__2021": "0.00", "rd_intensity__2021": "2.00"}
    assert said(checks.ratio_vs_stated(warning(schema, "ratio_vs_stated"), data, schema, None)) == []


def test_rd_intensity_is_checked_every_year_and_its_message_shows_the_figures(schema):
    data = {"rd_spend__2022": "10.00", "output__2022": "1.00", "rd_intensity__2022": "900.00"}
    assert said(checks.ratio_vs_stated(warning(schema, "ratio_vs_stated"), data, schema, None)) == [
        "2022年研发投入强度填报为 900.00%，按研发投入总额 10.00 亿元 ÷ 集群总产值 1.00 亿元计算约为 1000.00%，请核实。"
    ]


# --- One figure above another ---


def test_a_figure_above_its_limit_is_shown_with_two_decimals(schema):
    data = {"output__2022": "9000.00", "city_output__2022": "880.00"}
    assert said(checks.not_above(warning(schema, "not_above"), data, schema, None)) == [
        "2022年集群总产值 9000.00 亿元高于所在盟市工业总产值 880.00 亿元，单一盟市集群一般不应出现，请核实。"
    ]


def test_a_figure_asked_once_is_compared_once_without_a_year(schema):
    # No call yet compares two figures asked once; the check supports it, and says no year.
    w = {"kind": "not_above", "value": "patents", "limit": "employees", "message": "{data_year}|{value}>{limit}"}
    assert said(checks.not_above(w, {"patents": "30001", "employees": "30000"}, schema, None)) == ["|30001>30000"]


# --- |增速| > 100 % ---


def test_a_growth_rate_asked_once_is_named_without_a_year(schema):
    assert said(checks.abs_above(warning(schema, "abs_above"), {"patent_growth": "-130.00"}, schema, None)) == [
        "集群有效发明专利年均增速（%）为 -130.00%，绝对值超过100%，请确认单位和口径。"
    ]


# --- When an attachment is required ---


@pytest.mark.parametrize(("count", "holds"), [("", False), ("0", False), ("1", True), ("2", True)])
def test_a_positive_condition_holds_from_one_upwards(schema, count, holds):
    data = {"platforms_national__count": count, "platforms_national__names": ["中心"] * 2}
    assert condition_holds(schema, {"field": "platforms_national", "positive": True}, data) is holds


@pytest.mark.parametrize(("answer", "holds"), [("是", True), ("否", False), ("", False)])
def test_an_equals_condition_holds_only_for_that_answer(schema, answer, holds):
    data = {"carbon_monitoring": answer}
    assert condition_holds(schema, {"field": "carbon_monitoring", "equals": "是"}, data) is holds
