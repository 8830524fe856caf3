"""The figure table reads each application's latest submitted version once; its statistics match a hand count."""

from decimal import Decimal

import pytest

from accounts.models import Role
from applications import demo, submission
from applications.models import Application
from calls.schema.statistics import StatFigure
from dashboards.figure_queries import of_category
from dashboards.figures import figure_table
from dashboards.statistics import number, stats_of
from reviews import initial_review
from tests import factories


@pytest.fixture
def three(media, call):
    """Three submitted applications in three 盟市 with figures chosen to make the statistics checkable by hand."""
    return {
        "baotou": factories.submitted_application(
            "150200", data={"output__2023": "1500.00", "patents": "1286", "export_growth__2023": "9.30"}
        ),
        "tongliao": factories.submitted_application(
            "150500", data={"output__2023": "500.00", "patents": "300", "export_growth__2023": "12.43"}
        ),
        "ordos": factories.submitted_application(
            "150600",
            data={
                "output__2023": "820.40",
                "patents": "300",
                "export_growth__2023": "无",
                "industry_type": "第三产业",
                "participating_regions": ["150500"],
            },
        ),
    }


def table_for(user, call):
    return figure_table(Application.objects.visible_to(user), call.schema)


def row_of(table, app):
    (row,) = [r for r in table.rows if r.application_id == app.pk]
    return row


def test_each_submitted_application_is_one_row_with_its_figures_as_numbers(three, department, call):
    table = table_for(department, call)
    assert [r.application_id for r in table.rows] == [a.pk for a in sorted(three.values(), key=lambda a: a.number)]
    row = row_of(table, three["baotou"])
    assert row.title == demo.COMPLETE["cluster_name"]
    assert row.lead_region_name == "包头市"
    assert (row.status, row.status_label) == ("submitted", "待盟市初审")
    assert row.values["output__2023"] == Decimal("1500.00")
    assert row.values["output__2021"] == Decimal(demo.COMPLETE["output__2021"])
    assert row.values["patents"] == Decimal("1286")


def test_none_answered_as_wu_is_no_value(three, department, call):
    table = table_for(department, call)
    assert row_of(table, three["ordos"]).values["export_growth__2023"] is None


def test_statistics_equal_the_figures_counted_by_hand(three, department, call):
    table = table_for(department, call)

    output = table.stats("output__2023")
    # 1500.00 + 500.00 + 820.40 = 2820.40; ÷ 3 = 940.1333…; middle of 500.00, 820.40, 1500.00 = 820.40
    assert (output.count, output.total, output.mean, output.median) == (
        3,
        Decimal("2820.40"),
        Decimal("940.13"),
        Decimal("820.40"),
    )
    assert (output.minimum, output.maximum) == (Decimal("500.00"), Decimal("1500.00"))

    patents = table.stats("patents")
    # 1286 + 300 + 300 = 1886; ÷ 3 = 628.67 → one decimal for a count: 628.7
    assert (patents.count, patents.total, str(patents.mean), str(patents.median)) == (
        3,
        Decimal(1886),
        "628.7",
        "300.0",
    )
    assert (str(patents.minimum), str(patents.maximum)) == ("300", "1286")

    export = table.stats("export_growth__2023")
    # 无 is left out: (9.30 + 12.43) ÷ 2 = 10.865, 四舍五入 10.87; a growth rate has no 合计
    assert (export.count, export.total, export.mean, export.median) == (2, None, Decimal("10.87"), Decimal("10.87"))


def test_the_database_finds_the_median_of_two_values_and_of_one(three, call):
    # 通辽 sees its own (500.00) and 鄂尔多斯's, which it takes part in (820.40): (500.00 + 820.40) ÷ 2 = 660.20
    two = table_for(factories.user(Role.BUREAU, region_code="150500"), call).stats("output__2023")
    assert (two.count, two.median, two.minimum, two.maximum) == (
        2,
        Decimal("660.20"),
        Decimal("500.00"),
        Decimal("820.40"),
    )
    # 包头 sees only its own: one value is every statistic
    one = table_for(factories.user(Role.BUREAU, region_code="150200"), call).stats("output__2023")
    assert (one.count, one.total, one.mean, one.median) == (
        1,
        Decimal("1500.00"),
        Decimal("1500.00"),
        Decimal("1500.00"),
    )


def test_a_draft_never_counts_not_even_one_withdrawn_after_submitting(three, department, call):
    factories.application(data={**demo.COMPLETE, "output__2023": "9999.00"})
    withdrawn = factories.submitted_application("150100", data={"output__2023": "8888.00"})
    submission.withdraw(withdrawn, withdrawn.created_by)
    table = figure_table(Application.objects.all(), call.schema)
    assert withdrawn.pk not in [r.application_id for r in table.rows]
    assert table.stats("output__2023").count == 3
    assert table.stats("output__2023").maximum == Decimal("1500.00")


def test_a_returned_and_resubmitted_application_counts_once_with_its_latest_figures(three, department, call):
    factories.resubmit(three["baotou"], {"output__2023": "1600.00"}, "请核实2023年集群总产值。")
    assert three["baotou"].versions.count() == 2
    table = table_for(department, call)
    assert len(table.rows) == 3
    assert row_of(table, three["baotou"]).values["output__2023"] == Decimal("1600.00")
    assert table.stats("output__2023").total == Decimal("2920.40")


def test_a_returned_application_being_edited_shows_what_it_last_submitted(three, department, call):
    app = three["baotou"]
    bureau = factories.user(Role.BUREAU, region_code="150200")
    initial_review.return_for_revision(app, bureau, "请核实2023年集群总产值。")
    app.refresh_from_db()
    app.data = {**app.data, "output__2023": "7777.00"}
    app.save()
    row = row_of(table_for(department, call), app)
    assert (row.status, row.values["output__2023"]) == ("returned", Decimal("1500.00"))


def test_a_bureau_table_has_what_its_league_leads_or_takes_part_in(three, call):
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    ids = {r.application_id for r in table_for(tongliao, call).rows}
    assert ids == {three["tongliao"].pk, three["ordos"].pk}


def test_the_industry_filter_reads_the_latest_submitted_version(three, department, call):
    applications = Application.objects.visible_to(department)
    assert set(of_category(applications, "第三产业")) == {three["ordos"]}
    app = three["baotou"]
    bureau = factories.user(Role.BUREAU, region_code="150200")
    initial_review.return_for_revision(app, bureau, "请核实产业类型。")
    app.refresh_from_db()
    app.data = {**app.data, "industry_type": "第三产业"}  # edited, not yet resubmitted
    app.save()
    assert set(of_category(applications, "第三产业")) == {three["ordos"]}


def test_column_headings_give_each_year_with_the_unit(call):
    table = figure_table(Application.objects.none(), call.schema)
    output = next(f for f in table.figures if f.key == "output")
    assert table.column_headings(output) == [
        ("output__2021", "2021年集群总产值（亿元）"),
        ("output__2022", "2022年集群总产值（亿元）"),
        ("output__2023", "2023年集群总产值（亿元）"),
    ]
    per_10k = next(f for f in table.figures if f.key == "patents_per_10k")
    assert table.column_headings(per_10k) == [("patents_per_10k", "每万人有效发明专利拥有量（件/万人）")]


def test_an_empty_table_has_no_statistics(call):
    stats = figure_table(Application.objects.none(), call.schema).stats("output__2023")
    assert stats.count == 0
    assert stats.mean is stats.median is stats.total is stats.minimum is stats.maximum is None


COUNT = StatFigure("patents", "有效发明专利", "个", 0, False, is_count=True)
AMOUNT = StatFigure("output", "集群总产值", "亿元", 2, True)
RATIO = StatFigure("cloud_ratio", "企业上云比例", "%", 2, False, additive=False)


def test_the_median_of_an_even_number_of_values_is_the_mean_of_the_middle_two():
    stats = stats_of([Decimal(4), Decimal(1), None, Decimal(3), Decimal(2)], COUNT)
    assert (stats.count, str(stats.median), str(stats.mean)) == (4, "2.5", "2.5")


def test_means_are_rounded_half_up_to_the_figures_decimals():
    assert str(stats_of([Decimal("0.01"), Decimal("0.00")], AMOUNT).mean) == "0.01"  # 0.005 → 0.01
    assert str(stats_of([Decimal("0.03"), Decimal("0.00")], AMOUNT).mean) == "0.02"  # 0.015 → 0.02
    assert str(stats_of([Decimal(1), Decimal(0)], COUNT).mean) == "0.5"


def test_a_whole_number_that_is_not_a_count_keeps_its_own_decimals_in_the_mean():
    tonnes = StatFigure("waste", "固体废物", "吨", 0, False)  # a decimal field shown without decimals
    assert str(stats_of([Decimal(1), Decimal(2)], tonnes).mean) == "2"  # 1.5 → 2, not 1.5 as for a count


def test_ratios_and_growth_rates_have_no_total():
    assert stats_of([Decimal("50.00"), Decimal("60.00")], RATIO).total is None
    assert stats_of([Decimal("50.00"), Decimal("60.00")], AMOUNT).total == Decimal("110.00")


@pytest.mark.parametrize("raw", [None, "", "无", "12.3.4", "abc", "NaN", "Infinity", True, []])
def test_anything_not_a_number_is_no_value(raw):
    assert number(raw) is None


def test_stored_numbers_keep_their_decimals():
    assert str(number("1402.60")) == "1402.60"
    assert number("35") == Decimal(35)
