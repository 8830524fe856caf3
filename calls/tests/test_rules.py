"""Cross-field rules (errors) and cross-checks (warnings), each shown with its computed value."""

import pytest

from calls.schema import Context, load_schema, validate
from tests.application_data import complete_data


@pytest.fixture(scope="module")
def schema():
    return load_schema("cluster_2024", 2024)


@pytest.fixture
def data(schema):
    return complete_data(schema)


def run(schema, data, participating=False):
    context = Context(lead_region_code="150200", regions={"150200": "包头市", "150500": "通辽市"},
                      attachments={s.key: 1 for s in schema.slots})  # fmt: skip
    if participating:
        data["participating_regions"] = ["150500"]
    return validate(schema, data, context)


def messages(report, cell):
    return [p.message for p in report.problems if p.cell == cell]


def test_fund_parts_must_sum_to_the_annual_total(schema, data):
    data.update(fund_total="100.00", fund_regional="50.00", fund_city="30.00", fund_other="10.00")
    assert "其他资金之和 90.00 万元" in messages(run(schema, data), "fund_total")[0]


def test_the_six_uses_must_sum_to_the_total(schema, data):
    data["use_organisation"] = "0.00"
    assert any("六项资金使用计划合计" in m for m in messages(run(schema, data), "fund_total"))


def test_platform_count_must_equal_names_given(schema, data):
    data["platforms_national__count"] = "3"
    data["platforms_national__names"] = ["国家稀土功能材料创新中心"]
    assert messages(run(schema, data), "platforms_national__names") == [
        "数量填写为 3 个，但填写了 1 个名称；数量应与名称个数一致。"
    ]


def test_second_level_indicator_must_belong_to_its_first_level(schema, data):
    data["indicators"][0]["level2"] = "经济效益指标"
    assert "第1行二级指标“经济效益指标”不属于一级指标“产出指标”。" in messages(run(schema, data), "indicators")


def test_each_first_level_needs_at_least_one_indicator(schema, data):
    data["indicators"] = [r for r in data["indicators"] if r["level1"] != "满意度指标"]
    assert "一级指标“满意度指标”下至少填写一项绩效指标。" in messages(run(schema, data), "indicators")


def test_numeric_indicator_needs_a_number_and_unit_but_qualitative_does_not(schema, data):
    data["indicators"][0].update(sign="≥", value="显著提升", unit="")
    found = messages(run(schema, data), "indicators")
    assert any("指标值应为数字" in m or "请填写数字" in m for m in found)
    assert "第1行请填写计量单位。" in found
    data["indicators"][0].update(sign="定性", value="显著提升", unit="")
    assert messages(run(schema, data), "indicators") == []


def test_implementation_period_must_end_after_it_starts(schema, data):
    data.update(perf_start="2025-01-01", perf_end="2024-12-31")
    assert messages(run(schema, data), "perf_end") == ["实施期限的结束日期应晚于开始日期。"]


def test_text_group_limit_is_on_the_whole_plan(schema, data):
    for cell in schema.fields["plan"].cells:
        data[cell.name] = "无"  # 4 parts of 1 字 each once the first three are set below
    for part in ("intro", "achievements", "problems"):
        data[f"plan__{part}"] = "字" * 1000
    assert messages(run(schema, data), "plan") == ["全文限3000字以内，现有3004字，超出4字。"]


def warnings(report):
    return [m for _, m in report.warnings]


def test_patents_per_ten_thousand_staff_is_checked_against_its_inputs(schema, data):
    data.update(patents="300", employees="20000", patents_per_10k="50.00")
    assert warnings(run(schema, data)) == [
        "每万人有效发明专利拥有量填报为 50.00，按有效发明专利 300 个 ÷ 从业人员 20000 人 × 10000 "
        "计算约为 150.00，请核实。"
    ]


def test_city_output_growth_is_checked_for_years_two_and_three(schema, data):
    data["city_output_growth__2023"] = "25.00"
    assert warnings(run(schema, data)) == [
        "2023年盟市工业总产值增速填报为 25.00%，按工业总产值 880.00 亿元到 968.00 亿元计算约为 10.00%，请核实。"
    ]


def test_rd_intensity_far_from_spend_over_output_warns(schema, data):
    data["rd_intensity__2021"] = "9.00"
    assert any(m.startswith("2021年研发投入强度填报为 9.00%") for m in warnings(run(schema, data)))


def test_cluster_output_above_its_single_city_total_warns_only_for_a_single_city_cluster(schema, data):
    data["output__2022"] = "9000.00"
    assert any("高于所在盟市工业总产值" in m for m in warnings(run(schema, dict(data))))
    assert not any("高于所在盟市工业总产值" in m for m in warnings(run(schema, data, participating=True)))


def test_more_little_giants_than_specialised_smes_warns(schema, data):
    data.update(little_giants__2023="9", specialised_smes__2023="4")
    assert "2023年专精特新“小巨人”企业 9 家多于专精特新中小企业 4 家，请核实统计口径。" in warnings(run(schema, data))


def test_growth_beyond_one_hundred_percent_warns_but_never_blocks(schema, data):
    data["export_growth__2022"] = "-130.00"
    report = run(schema, data)
    assert (
        "近三年集群主导产品出口贸易额增长率（%）（2022年）为 -130.00%，绝对值超过100%，请确认单位和口径。"
        in warnings(report)
    )
    assert report.problems == []
