"""Figures the guide asks to agree with others (每万人有效发明专利拥有量, 研发投入强度): the schema computes them
from the other cells (checks.Quotient), shows the value beside the field and warns beyond the rounding
to 2 places. The page's static/js/figures.js repeats these sums; tests/browser/test_computed_figures.py
holds the two together."""

from decimal import Decimal

import pytest

from calls.schema import Context, checks, load_schema, validate
from calls.tests.test_schema_loading_refusals import refusal
from tests.application_data import complete_data

YEARS = (2021, 2022, 2023)


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


@pytest.fixture(scope="module")
def per_10k(schema):
    return checks.derivations(schema)["patents_per_10k"]


def test_the_2024_call_computes_patents_per_ten_thousand_and_rd_intensity_each_year(schema):
    found = checks.derivations(schema)
    assert sorted(found) == ["patents_per_10k"] + [f"rd_intensity__{y}" for y in YEARS]
    assert found["patents_per_10k"] == checks.Quotient(
        "patents_per_10k",
        "patents",
        "employees",
        Decimal(10000),
        Decimal("0.005"),
        False,
        "按填报数据计算约为 {computed}",
    )
    assert found["rd_intensity__2022"].attributes() == {
        "numerator": "rd_spend__2022",
        "denominator": "output__2022",
        "scale": "100",
        "tolerance": "0.005",
        "relative": "",
        "hint": "按填报数据计算约为 {computed}%",
    }


@pytest.mark.parametrize(
    "patents, employees, shown",
    [
        ("1", "80000", "0.13"),  # 0.125: half up (四舍五入), not to even
        ("3", "80000", "0.38"),  # 0.375
        ("1", "3", "3333.33"),
        ("2", "3", "6666.67"),
        ("0", "5", "0.00"),
        ("300", "20000", "150.00"),
    ],
)
def test_the_computed_value_is_shown_rounded_half_up_to_two_places(per_10k, patents, employees, shown):
    assert per_10k.hint_text({"patents": patents, "employees": employees}) == f"按填报数据计算约为 {shown}"


@pytest.mark.parametrize(
    "data",
    [{"patents": "1"}, {"patents": "1", "employees": "0"}, {"patents": "无", "employees": "3"},
     {"patents": "一", "employees": "3"}],
)  # fmt: skip
def test_nothing_is_shown_or_warned_without_both_operands(per_10k, data):
    assert per_10k.hint_text(data) == "" and not per_10k.differs(data | {"patents_per_10k": "9.00"})


@pytest.mark.parametrize(
    "stated, differs",
    # exactly 0.125: 0.005 either way agrees, a millionth more does not (number() reads 6 places)
    [("0.12", False), ("0.13", False), ("0.119999", True), ("0.130001", True), ("0.11", True), ("0.14", True)],
)
def test_a_stated_figure_agrees_within_half_a_cent_and_no_further(per_10k, stated, differs):
    assert per_10k.differs({"patents": "1", "employees": "80000", "patents_per_10k": stated}) is differs


def test_a_numeric_tolerance_of_per_capita_stays_a_share_of_the_computed_value(schema):
    # Revisions stored before `rounding` existed (and the enterprise example) keep their meaning.
    entry = next(w for w in schema.warnings if w["kind"] == "per_capita") | {"tolerance": 0.05}
    (quotient,) = checks.quotients(entry, schema)
    data = {"patents": "300", "employees": "20000"}  # 150.00; 5 % is 7.50
    assert not quotient.differs(data | {"patents_per_10k": "157.50"})
    assert quotient.differs(data | {"patents_per_10k": "157.51"})


def test_each_warning_names_the_cell_it_is_shown_beside(schema):
    data = complete_data(schema) | {"rd_spend__2022": "17.01", "output__2022": "800.00", "rd_intensity__2022": "2.12",
                                    "patents": "1", "employees": "80000", "patents_per_10k": "0.11",
                                    "export_growth__2023": "150.00"}  # fmt: skip
    context = Context(lead_region_code="150200", regions={"150200": "包头市"},
                      attachments={s.key: 1 for s in schema.slots})  # fmt: skip
    report = validate(schema, data, context)
    assert report.warning_cells == ["patents_per_10k", "rd_intensity__2022", "export_growth__2023"]
    assert [section for section, _ in report.warnings] == ["innovation", "innovation", "openness"]
    assert report.warnings_by_cell()["rd_intensity__2022"] == (
        "2022年研发投入强度填报为 2.12%，按研发投入总额 17.01 亿元 ÷ 集群总产值 800.00 亿元计算约为 2.13%，请核实。"
    )


# --- The schema language: what a wrong entry is refused with ---

PER_CAPITA = 0  # warnings[0] of the 2024 call


def test_a_tolerance_that_is_neither_rounding_nor_a_number_is_refused():
    assert refusal(lambda d: d["warnings"][PER_CAPITA].update(tolerance="round")) == (
        "broken.yaml warnings[0]: tolerance 应为 rounding（按两位小数四舍五入，±0.005）或不小于 0 的数，而不是 'round'"
    )


def test_a_hint_without_the_computed_value_is_refused():
    assert refusal(lambda d: d["warnings"][PER_CAPITA].update(hint="按填报数据计算")) == (
        "broken.yaml warnings[0]: hint 应为文字，并用 {computed} 标出计算值，如“按填报数据计算约为 {computed}”"
    )
    assert refusal(lambda d: d["warnings"][PER_CAPITA].update(hint="{computed}{stated}")) == (
        "broken.yaml warnings[0]: hint 只能使用占位符 {computed}"
    )


def test_a_hint_on_a_check_that_computes_no_figure_is_refused():
    assert refusal(lambda d: d["warnings"][3].update(hint="{computed}")) == (
        "broken.yaml warnings[3]: not_above 不能写 hint："
        "只有按公式计算的核对（per_capita、ratio_vs_stated）能在填写时显示计算值"
    )


def test_a_per_capita_figure_over_yearly_fields_is_refused():
    assert refusal(lambda d: d["warnings"][PER_CAPITA].update(numerator="rd_spend")) == (
        "broken.yaml warnings[0]: per_capita 的字段 rd_spend 不应按年度填报（per_year）"
    )
    assert refusal(lambda d: d["warnings"][2].update(stated="patents_per_10k")) == (
        "broken.yaml warnings[2]: ratio_vs_stated 的字段 patents_per_10k 应按年度填报（per_year）"
    )
