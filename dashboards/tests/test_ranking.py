"""An application's standing: rank (1 = highest, ties shared) and percentile on each figure's last year."""

from decimal import Decimal

import pytest

from accounts.models import Role
from applications import demo, submission
from dashboards.ranking import standing
from reviews import initial_review
from tests import factories


@pytest.fixture
def three(media, call):
    """Three submitted applications: 包头 lowest in 2021 but highest in 2023; 通辽 and 鄂尔多斯 tie on patents."""
    return {
        "baotou": factories.submitted_application(
            "150200",
            data={
                "output__2021": "100.00",
                "output__2023": "1500.00",
                "patents": "1286",
                "export_growth__2023": "9.30",
            },
        ),
        "tongliao": factories.submitted_application(
            "150500", data={"output__2023": "500.00", "patents": "300", "export_growth__2023": "12.43"}
        ),
        "ordos": factories.submitted_application(
            "150600", data={"output__2023": "820.40", "patents": "300", "export_growth__2023": "无"}
        ),
    }


def of(app, key, version=None):
    """The standing of `app` (its latest version unless `version`) on the figure `key`."""
    return next(s for s in standing(app, version or app.latest_version) if s.figure.key == key)


def summary(s):
    return (s.cell, s.value, s.rank, s.count, s.percentile)


def test_every_figure_of_the_schema_gets_a_standing(three, call):
    keys = [f.key for group in call.schema.statistics for f in group.figures]
    assert [s.figure.key for s in standing(three["baotou"], three["baotou"].latest_version)] == keys


def test_ranks_go_from_the_highest_value_on_the_last_year(three):
    assert summary(of(three["baotou"], "output")) == ("output__2023", Decimal("1500.00"), 1, 3, 100)
    assert summary(of(three["ordos"], "output")) == ("output__2023", Decimal("820.40"), 2, 3, 50)
    assert summary(of(three["tongliao"], "output")) == ("output__2023", Decimal("500.00"), 3, 3, 0)


def test_equal_values_share_a_rank_and_count_each_other_as_at_or_below(three):
    assert summary(of(three["baotou"], "patents")) == ("patents", Decimal(1286), 1, 3, 100)
    assert summary(of(three["tongliao"], "patents")) == ("patents", Decimal(300), 2, 3, 50)
    assert summary(of(three["ordos"], "patents")) == ("patents", Decimal(300), 2, 3, 50)


def test_an_answer_of_wu_has_no_rank_and_is_left_out_of_the_others_ranks(three):
    assert summary(of(three["ordos"], "export_growth")) == ("export_growth__2023", None, None, 2, None)
    assert summary(of(three["baotou"], "export_growth")) == ("export_growth__2023", Decimal("9.30"), 2, 2, 0)
    assert summary(of(three["tongliao"], "export_growth")) == ("export_growth__2023", Decimal("12.43"), 1, 2, 100)


def test_the_only_application_with_a_value_ranks_first_with_no_percentile(media, call):
    app = factories.submitted_application("150200")
    assert summary(of(app, "output")) == ("output__2023", Decimal(demo.COMPLETE["output__2023"]), 1, 1, None)


def test_drafts_do_not_count_among_the_others(three):
    factories.application(data={**demo.COMPLETE, "output__2023": "9999.00"})
    withdrawn = factories.submitted_application("150100", data={"output__2023": "8888.00"})
    submission.withdraw(withdrawn, withdrawn.created_by)
    assert summary(of(three["baotou"], "output")) == ("output__2023", Decimal("1500.00"), 1, 3, 100)


def test_the_others_are_ranked_by_their_latest_version_and_this_one_by_the_version_shown(three):
    tongliao = three["tongliao"]
    bureau = factories.user(Role.BUREAU, region_code="150500")
    initial_review.return_for_revision(tongliao, bureau, "请核实2023年集群总产值。")
    tongliao.refresh_from_db()
    tongliao.data = {**tongliao.data, "output__2023": "2000.00"}
    tongliao.save()
    submission.submit(tongliao, tongliao.created_by, revision_note="已按退回意见修改。")
    tongliao.refresh_from_db()

    assert summary(of(three["baotou"], "output")) == ("output__2023", Decimal("1500.00"), 2, 3, 50)
    assert summary(of(tongliao, "output")) == ("output__2023", Decimal("2000.00"), 1, 3, 100)
    first = tongliao.versions.get(number=1)
    assert summary(of(tongliao, "output", first)) == ("output__2023", Decimal("500.00"), 3, 3, 0)


def test_percentiles_are_rounded_to_whole_per_cent(media, call):
    apps = [factories.submitted_application("150200", data={"patents": str(n)}) for n in (10, 20, 30, 40)]
    # 20 has one of three others at or below it: 33.3 % → 33; 30 has two: 66.7 % → 67
    assert of(apps[1], "patents").percentile == 33
    assert of(apps[2], "patents").percentile == 67
