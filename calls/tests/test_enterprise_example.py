"""The example enterprise project call: a second kind of call, written only as data, loads and behaves.

calls/schemas/enterprise_project_example.yaml declares a 工业企业技术改造 project call (one enterprise,
one project) with no engine change: it builds for any call year, a complete application passes every
rule and cross-check, its guide's conditions block, its two investment breakdowns are held to the total
to the cent, and it prints only the document it declares.
"""

import re
from decimal import Decimal

import pytest

from calls.schema import Context, Problem, load_schema, loader, validate
from calls.schema.report import ATTACHMENT, BLOCK, INVALID
from tests.application_data import complete_data

CODE = "enterprise_project_example"
GUIDE_ORDER = ["eligibility", "cover", "commitment", "enterprise", "finance", "project", "investment", "benefits",
               "plan", "attachments"]  # fmt: skip
# The guide's conditions: answering 否 to any of them stops the submission.
ELIGIBILITY_CONDITIONS = [
    "registered_in_region",
    "project_filed",
    "no_major_incidents",
    "no_dishonesty",
    "no_duplicate_funding",
]
SOURCES = ["self_funds", "bank_loans", "other_funds", "regional_funds"]
USES = ["construction_cost", "equipment_cost", "installation_cost", "software_cost", "other_cost"]


@pytest.fixture
def schema():
    return load_schema(CODE, 2025)


def attached(schema, *, leave_out=()):
    return Context(
        organisation_name="包头市某某稀土新材料有限公司",
        lead_region_code="150200",
        lead_region_name="包头市",
        lead_bureau="包头市工业和信息化局",
        regions={"150200": "包头市"},
        attachments={slot.key: 1 for slot in schema.slots if slot.key not in leave_out},
    )


def cents(value):
    return f"{Decimal(value):.2f}"


def test_the_example_builds_for_the_call_year_with_the_three_years_before_it(schema):
    assert (schema.code, schema.subject, schema.department) == (CODE, "项目", "内蒙古自治区工业和信息化厅")
    assert schema.title == "2025年内蒙古自治区工业企业技术改造项目申请报告（示例）"
    assert schema.years == (2022, 2023, 2024)
    assert [c.name for c in schema.fields["revenue"].cells] == ["revenue__2022", "revenue__2023", "revenue__2024"]


def test_the_file_writes_no_year_out_so_every_call_year_fills_its_own():
    assert not re.search(r"\d{4}年|\b20\d\d-\d\d", loader.schema_file(CODE))
    later = load_schema(CODE, 2026)
    assert later.years == (2023, 2024, 2025)
    assert later.title.startswith("2026年")
    assert "未注明填报年度的，填写2025年年底的数据。" in later.notes


def test_sections_follow_the_guide_order(schema):
    assert schema.section_keys == GUIDE_ORDER
    assert [s.heading for s in schema.sections if s.number] == [
        "一、企业基本情况",
        "二、近三年主要经济指标",
        "三、项目基本情况",
        "四、项目投资及资金筹措（万元）",
        "五、预期效益",
        "六、项目实施计划",
    ]


def test_the_call_prints_only_the_application_report_because_it_declares_no_performance_table(schema):
    assert schema.documents == ("report",)
    assert [s.key for s in schema.sections_for("commitment")] == ["commitment"]
    assert [s.key for s in schema.sections_for("form")] == ["cover"]
    assert [f.cover for f in schema.cover_fields] == [
        "项目名称",
        "申报单位（盖章）",
        "所属盟市",
        "盟市工信主管部门（盖章）",
        "申报时间",
        "联系人及联系电话",
        "联系人及联系电话",
    ]


def test_roles_name_the_project_its_contact_its_industry_and_the_amount_asked_for(schema):
    assert schema.role("title").key == "project_name"
    assert schema.title_label == "项目名称"
    assert schema.title_of({"project_name": "稀土永磁材料生产线智能化改造项目"}) == "稀土永磁材料生产线智能化改造项目"
    assert schema.role("category").key == "industry"
    assert schema.role("headline").key == "regional_funds"
    assert (schema.role("contact_name").key, schema.role("contact_phone").key) == ("contact_person", "contact_phone")
    assert schema.source_label("organisation", "") == "申报单位"


def test_the_commitment_fits_an_enterprise_project(schema):
    commitment = schema.commitment
    assert 5 <= len(commitment["items"]) <= 7
    assert commitment["signatures"] == ["法定代表人（签字）：", "申报单位（盖章）："]
    assert [slot.key for slot in schema.commitment_slots()] == ["commitment_scan"]


def test_a_complete_application_has_no_problem_and_no_warning(schema):
    report = validate(schema, complete_data(schema), attached(schema))
    assert report.problems == []
    assert report.warnings == []
    assert set(report.statuses.values()) == {"done"}


def test_every_required_cell_reports_missing_alone(schema):
    context = attached(schema)
    for name, cell in schema.cells.items():
        if cell.field.type == "derived" or not cell.field.required:
            continue
        data = complete_data(schema)
        data[name] = [] if cell.is_list else ""
        report = validate(schema, data, context)
        assert {p.cell for p in report.problems} == {name}, name


def test_the_eligibility_section_asks_the_guides_conditions(schema):
    section = schema.section("eligibility")
    assert [f.key for f in section.fields if f.blocks] == ELIGIBILITY_CONDITIONS
    assert all(f.type == "yes_no" and set(f.blocks) == {"否"} for f in section.fields if f.blocks)
    assert "绿色化改造" in {value for value, _ in schema.fields["support_direction"].choices}


@pytest.mark.parametrize("key", ELIGIBILITY_CONDITIONS)
def test_answering_no_to_a_condition_blocks_submission_with_the_guides_reason(schema, key):
    data = complete_data(schema)
    data[key] = "否"
    report = validate(schema, data, attached(schema))
    assert report.problems == [Problem(BLOCK, "eligibility", key, schema.fields[key].blocks["否"])]


@pytest.mark.parametrize("key", ["env_approval", "energy_review"])
def test_a_project_needing_an_approval_it_lacks_is_blocked_and_one_needing_none_is_not(schema, key):
    data = complete_data(schema)
    data[key] = "否"
    assert [(p.kind, p.cell) for p in validate(schema, data, attached(schema)).problems] == [(BLOCK, key)]
    data[key] = "不涉及"
    slot = next(s for s in schema.slots if s.required_when == {"field": key, "equals": "是"})
    assert validate(schema, data, attached(schema, leave_out={slot.key})).problems == []


def test_an_approval_answered_yes_needs_its_document(schema):
    report = validate(schema, complete_data(schema), attached(schema, leave_out={"env_approval_document"}))
    assert report.problems == [
        Problem(ATTACHMENT, "project", "env_approval_document", "请上传环境影响评价批复（备案）文件。")
    ]


def investment(total, sources, uses):
    """complete_data with the project's investment set to `total`, broken down by source and by use."""
    return {
        "total_investment": total,
        **dict(zip(SOURCES, sources, strict=True)),
        **dict(zip(USES, uses, strict=True)),
    }


def problems_on_the_total(schema, figures):
    data = {**complete_data(schema), **figures}
    return [p for p in validate(schema, data, attached(schema)).problems if p.cell == "total_investment"]


def test_breakdowns_equal_to_the_total_pass(schema):
    figures = investment(
        "1000.00",
        ["600.00", "300.00", "0.00", "100.00"],
        ["200.00", "650.00", "50.00", "80.00", "20.00"],
    )
    assert problems_on_the_total(schema, figures) == []


@pytest.mark.parametrize(("index", "parts"), [(0, SOURCES), (1, USES)])
@pytest.mark.parametrize("off", ["0.01", "-0.01"])
def test_a_breakdown_one_cent_off_the_total_is_refused_with_both_sums(schema, index, parts, off):
    rule = schema.rules[index]
    assert rule["kind"] == "sum_equals" and rule["parts"] == parts
    figures = investment(
        "1000.00",
        ["600.00", "300.00", "0.00", "100.00"],
        ["200.00", "650.00", "50.00", "80.00", "20.00"],
    )
    figures[parts[-1]] = cents(Decimal(figures[parts[-1]]) + Decimal(off))
    shown = cents(Decimal("1000.00") + Decimal(off))
    assert problems_on_the_total(schema, figures) == [
        Problem(INVALID, "investment", "total_investment", rule["message"].format(total="1000.00", sum=shown))
    ]


def test_a_total_one_cent_off_both_breakdowns_is_refused_by_each(schema):
    data = complete_data(schema)
    data["total_investment"] = cents(Decimal(data["total_investment"]) + Decimal("0.01"))
    problems = problems_on_the_total(schema, data)
    assert [p.message for p in problems] == [
        rule["message"].format(total=data["total_investment"], sum=cents(sum(Decimal(data[k]) for k in rule["parts"])))
        for rule in schema.rules[:2]
    ]


def test_the_construction_period_must_end_after_it_starts(schema):
    data = complete_data(schema)
    data["start_date"], data["end_date"] = "2025-03-01", "2025-03-01"
    report = validate(schema, data, attached(schema))
    assert report.problems == [Problem(INVALID, "project", "end_date", "建设期的结束日期应晚于开始日期。")]
    data["end_date"] = "2025-03-02"
    assert validate(schema, data, attached(schema)).problems == []


def test_a_loss_is_a_negative_profit_but_taxes_and_assets_are_never_negative(schema):
    data = complete_data(schema)
    data["profit__2023"] = "-120.50"
    assert validate(schema, data, attached(schema)).problems == []
    for key in ("taxes__2023", "assets__2023"):
        broken = {**data, key: "-1.00"}
        assert validate(schema, broken, attached(schema)).problems == [Problem(INVALID, "finance", key, "不能小于 0。")]


def test_rd_spending_far_from_its_stated_share_of_revenue_warns_beyond_one_point(schema):
    data = complete_data(schema)
    data["revenue__2024"], data["rd_spend__2024"] = "968.00", "48.40"  # exactly 5.00 %
    data["rd_intensity__2024"] = "6.00"
    assert validate(schema, data, attached(schema)).warnings == []
    data["rd_intensity__2024"] = "6.01"
    assert validate(schema, data, attached(schema)).warnings == [
        (
            "finance",
            "2024年研发费用占营业收入比重填报为 6.01%，按研发费用 48.40 万元 ÷ 营业收入 968.00 万元计算约为 5.00%，"
            "相差较大，请核实。",
        )
    ]


def test_more_invested_already_than_the_whole_project_warns(schema):
    data = complete_data(schema)
    data["completed_investment"] = cents(Decimal(data["total_investment"]) + Decimal("0.01"))
    warnings = validate(schema, data, attached(schema)).warnings
    assert [section for section, _ in warnings] == ["investment"]


def test_an_expert_scores_five_dimensions_weighing_100_over_every_numbered_section(schema):
    assert [(d.title, d.weight) for d in schema.rubric] == [
        ("企业基础", 15),
        ("项目先进性", 25),
        ("投资合理性", 20),
        ("预期效益", 25),
        ("实施保障", 15),
    ]
    read = {key for d in schema.rubric for key in d.sections}
    assert {s.key for s in schema.sections if s.number} <= read


def test_the_dashboards_and_the_summary_compare_the_projects_key_figures(schema):
    assert [g.title for g in schema.statistics] == ["经济指标", "项目投资", "预期效益"]
    figures = {f.key: f for g in schema.statistics for f in g.figures}
    assert not figures["debt_ratio"].additive and not figures["energy_reduction"].additive
    assert figures["total_investment"].additive and figures["new_jobs"].is_count
    columns = dict((cell.name, heading) for cell, heading in schema.summary_cells())
    assert 10 <= len(columns) <= 16
    assert columns["revenue__2024"] == "2024年营业收入（万元）"
    assert columns["regional_funds"] == "申请自治区专项资金（万元）"
