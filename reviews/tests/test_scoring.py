"""reviews/scoring.py: checking an expert's score sheet, and aggregating the experts' totals."""

from decimal import Decimal

from calls.schema.rubric import Dimension
from reviews.scoring import aggregate, read_sheet

RUBRIC = (
    Dimension("scale", "产业规模与集聚", Decimal(60)),
    Dimension("plan", "发展规划与治理", Decimal(40)),
)


def totals(*values):
    return {f"expert{i}": Decimal(v) for i, v in enumerate(values, 1)}


# --- aggregate ---


def test_no_scores_give_no_final_score():
    result = aggregate({})
    assert result.count == 0 and result.mean is None and not result.trimmed and result.outliers == frozenset()


def test_the_final_score_is_the_mean_of_the_totals_rounded_to_two_places():
    result = aggregate(totals("80", "81", "83.5"))
    assert result.mean == Decimal("81.50")
    assert result.count == 3 and not result.trimmed


def test_four_experts_keep_their_highest_and_lowest_scores():
    result = aggregate(totals("90", "80", "70", "60"))
    assert not result.trimmed
    assert result.mean == Decimal("75.00")


def test_five_experts_drop_the_highest_and_the_lowest_score():
    result = aggregate(totals("95", "80", "78", "76", "40"))
    assert result.trimmed
    assert result.mean == Decimal("78.00")  # (80 + 78 + 76) / 3


def test_a_total_more_than_20_points_from_the_others_mean_is_flagged():
    result = aggregate(totals("80", "82", "78", "55"))
    # 55 against (80 + 82 + 78) / 3 = 80: 25 points apart.
    assert result.outliers == frozenset({"expert4"})


def test_a_total_exactly_20_points_from_the_others_mean_is_not_flagged():
    result = aggregate(totals("80", "80", "80", "60"))
    assert result.outliers == frozenset()


def test_a_single_expert_is_never_an_outlier():
    assert aggregate(totals("20")).outliers == frozenset()


def test_dimension_means_are_plain_means_over_every_submitted_score():
    result = aggregate(
        totals("70", "80"),
        {"expert1": {"scale": "40", "plan": "30"}, "expert2": {"scale": "45.5", "plan": "34.5"}},
    )
    assert result.dimension_means == {"scale": Decimal("42.75"), "plan": Decimal("32.25")}


# --- read_sheet ---


def test_a_complete_sheet_is_read_into_canonical_scores():
    sheet = read_sheet(RUBRIC, {"score_scale": " 50.5 ", "score_plan": "30", "opinion": "建议支持。"}, complete=True)
    assert sheet.errors == {}
    assert sheet.scores == {"scale": "50.5", "plan": "30.0"}
    assert sheet.opinion == "建议支持。"


def test_a_score_above_the_dimension_weight_is_refused_in_chinese():
    sheet = read_sheet(RUBRIC, {"score_scale": "60.5"}, complete=False)
    assert "scale" not in sheet.scores
    assert "产业规模与集聚" in sheet.errors["score_scale"] and "满分 60 分" in sheet.errors["score_scale"]


def test_a_negative_score_is_refused():
    sheet = read_sheet(RUBRIC, {"score_plan": "-1"}, complete=False)
    assert "plan" not in sheet.scores
    assert "发展规划与治理" in sheet.errors["score_plan"]


def test_a_score_with_three_decimals_is_refused_not_rounded():
    sheet = read_sheet(RUBRIC, {"score_scale": "12.345"}, complete=False)
    assert "scale" not in sheet.scores
    assert "保留小数点后1位" in sheet.errors["score_scale"]


def test_a_score_that_is_not_a_number_is_refused():
    sheet = read_sheet(RUBRIC, {"score_scale": "良好"}, complete=False)
    assert "请填写数字" in sheet.errors["score_scale"]


def test_missing_scores_and_opinion_are_accepted_when_saving_a_draft_sheet():
    sheet = read_sheet(RUBRIC, {"score_scale": "50"}, complete=False)
    assert sheet.errors == {}
    assert sheet.scores == {"scale": "50.0"}


def test_missing_scores_and_opinion_are_refused_on_submit():
    sheet = read_sheet(RUBRIC, {"score_scale": "50"}, complete=True)
    assert set(sheet.errors) == {"score_plan", "opinion"}
    assert "请为“发展规划与治理”打分" in sheet.errors["score_plan"]
    assert sheet.errors["opinion"] == "请填写总体评审意见。"


def test_a_comment_of_500_zi_is_accepted_and_501_refused_counting_what_a_reader_sees():
    family = "👨‍👩‍👧‍👦"  # one 字 as a reader sees it, seven code points
    at_limit = read_sheet(RUBRIC, {"comment_scale": family * 500 + "\u200b" * 300}, complete=False)
    assert at_limit.errors == {}
    assert at_limit.comments["scale"] == family * 500  # the zero-width spaces are gone

    over = read_sheet(RUBRIC, {"comment_scale": "评" * 501}, complete=False)
    assert over.errors["comment_scale"] == "评语不超过 500 字，现为 501 字，请删减。"
    assert over.comments["scale"] == "评" * 501  # kept whole for the expert to trim, not cut


def test_an_opinion_of_1000_zi_is_accepted_and_1001_refused_and_kept():
    assert read_sheet(RUBRIC, {"opinion": "意" * 1000}, complete=False).errors == {}
    over = read_sheet(RUBRIC, {"opinion": "意" * 1001}, complete=False)
    assert over.errors["opinion"] == "总体意见不超过 1000 字，现为 1001 字，请删减。"
    assert over.opinion == "意" * 1001
