"""The 自治区工信厅's pages: 受理 and experts, scoring progress, the decision and 立项."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from applications.models import Status
from reviews import decisions, experts
from reviews.models import Decision, ExpertReview
from tests import factories

# Five totals for five experts: the trimmed mean is (84 + 80 + 76) / 3 = 80.00; 40 is more than
# 20 points below the others' mean (82.5); 90 is exactly 20 above the others' (70) and is not flagged.
TOTALS = (90, 84, 80, 76, 40)

REASON = "需特定领域专家"


def an_expert(name, region_code="150100", affiliation="内蒙古大学"):
    return factories.user(Role.EXPERT, region_code=region_code, affiliation=affiliation, full_name=name)


def sheet_for_total(app, total):
    """A complete score sheet whose scores, in proportion to the weights, add up to `total` (even)."""
    assert total % 2 == 0  # so that every weight × total / 100 has one decimal at most
    data = {f"score_{d.key}": str(d.weight * total / 100) for d in app.call.schema.rubric}
    data.update({f"comment_{d.key}": f"{d.title}方面基础较好。" for d in app.call.schema.rubric})
    data["opinion"] = f"综合评分 {total} 分。"
    return data


def score(app, expert, total):
    review = ExpertReview.objects.get(application=app, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    row, sheet = experts.submit_sheet(review, expert, sheet_for_total(app, total))
    assert sheet.errors == {}
    return row


@pytest.fixture
def five_scored(recommended, department):
    """`recommended`, accepted with five experts who all scored (TOTALS): 待决定."""
    panel = [an_expert(f"专家{i}") for i in range(1, 6)]
    experts.assign(recommended, department, panel)
    for expert, total in zip(panel, TOTALS, strict=True):
        score(recommended, expert, total)
    recommended.refresh_from_db()
    assert recommended.status == Status.AWAITING_DECISION
    return recommended, panel


@pytest.fixture
def awaiting_decision(under_review, expert):
    score(under_review, expert, 80)
    under_review.refresh_from_db()
    assert under_review.status == Status.AWAITING_DECISION
    return under_review


def page(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- department only ---


def application_urls(app):
    return [
        ("get", reverse("reviews:accept", args=[app.pk])),
        ("get", reverse("reviews:scores", args=[app.pk])),
        ("get", reverse("reviews:scoresheet", args=[app.pk, "xlsx"])),
        ("get", reverse("reviews:scoresheet", args=[app.pk, "pdf"])),
        ("get", reverse("reviews:decide", args=[app.pk])),
        ("post", reverse("reviews:establish", args=[app.pk])),
        ("get", reverse("reviews:schedule", args=[app.call.code])),
    ]


def test_bureaus_experts_and_applicants_cannot_reach_the_department_pages(client, awaiting_decision, bureau, expert):
    applicant = awaiting_decision.organisation.users.get()
    for user in (bureau, expert, applicant):
        client.force_login(user)
        for method, url in application_urls(awaiting_decision):
            status = getattr(client, method)(url).status_code
            assert status in (403, 404), (user.role, url, status)
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.AWAITING_DECISION


def test_the_department_reaches_every_page(client, awaiting_decision, department):
    client.force_login(department)
    for method, url in application_urls(awaiting_decision):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, url
            # Each page about the application names it; the score sheets are downloads, the schedule the call's.
            if response["Content-Type"].startswith("text/html") and f"/{awaiting_decision.pk}/" in url:
                assert awaiting_decision.number in response.content.decode(), url


def test_a_draft_is_not_found_even_by_the_department(client, draft, department):
    client.force_login(department)
    assert client.get(reverse("reviews:scores", args=[draft.pk])).status_code == 404


def test_an_unknown_scoresheet_format_is_not_found(client, awaiting_decision, department):
    client.force_login(department)
    assert client.get(reverse("reviews:scoresheet", args=[awaiting_decision.pk, "docx"])).status_code == 404


# --- 受理 and experts ---


def test_the_accept_page_marks_experts_the_rules_exclude(client, recommended, department, expert):
    local = an_expert("包头专家", region_code="150200", affiliation="包头职业技术学院")
    client.force_login(department)
    text = page(client, "reviews:accept", recommended.pk)
    assert expert.full_name in text and "内蒙古工业大学" in text and "呼和浩特市" in text
    assert local.full_name in text
    assert '须回避</span><span class="small">：专家所在盟市（包头市）' in text
    assert f'value="{local.pk}"' in text  # still selectable


def test_accepting_with_one_excluded_expert_records_the_exclusion_and_starts_the_review(
    client, recommended, department, expert
):
    local = an_expert("包头专家", region_code="150200")
    client.force_login(department)
    response = client.post(
        reverse("reviews:accept", args=[recommended.pk]), {"experts": [expert.pk, local.pk], "reason": REASON}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:scores", args=[recommended.pk])
    recommended.refresh_from_db()
    assert recommended.status == Status.UNDER_REVIEW
    excluded = ExpertReview.objects.get(application=recommended, expert=local)
    assert excluded.status == ExpertReview.Status.EXCLUDED and "包头市" in excluded.exclusion_reason
    assert ExpertReview.objects.get(application=recommended, expert=expert).status == ExpertReview.Status.ASSIGNED
    message = page(client, "reviews:scores", recommended.pk)
    assert "已受理" in message and "包头专家（专家所在盟市（包头市）" in message


def test_choosing_only_excluded_experts_is_refused_and_keeps_the_ticks(client, recommended, department):
    local = an_expert("包头专家", region_code="150200")
    client.force_login(department)
    response = client.post(reverse("reviews:accept", args=[recommended.pk]), {"experts": [local.pk], "reason": REASON})

    assert response.status_code == 200
    text = response.content.decode()
    assert "所选专家均须回避" in text
    assert f'value="{local.pk}" id="expert-{local.pk}" checked' in text
    recommended.refresh_from_db()
    assert recommended.status == Status.RECOMMENDED
    assert not ExpertReview.objects.filter(application=recommended).exists()


def test_choosing_nobody_asks_for_an_expert(client, recommended, department):
    client.force_login(department)
    response = client.post(reverse("reviews:accept", args=[recommended.pk]), {"reason": REASON})
    assert "请至少选择一名评审专家。" in response.content.decode()


def test_a_posted_id_that_is_not_an_active_expert_is_refused(client, recommended, department, bureau, expert):
    retired = an_expert("已停用专家")
    retired.is_active = False
    retired.save()
    client.force_login(department)
    for bogus in (bureau.pk, retired.pk, 999999, "abc"):
        response = client.post(
            reverse("reviews:accept", args=[recommended.pk]), {"experts": [expert.pk, bogus], "reason": REASON}
        )
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    recommended.refresh_from_db()
    assert recommended.status == Status.RECOMMENDED


def test_an_assigned_expert_cannot_be_chosen_again_but_another_can_be_added(client, under_review, department, expert):
    client.force_login(department)
    text = page(client, "reviews:accept", under_review.pk)
    assert f'value="{expert.pk}"' not in text and "待声明" in text

    again = client.post(reverse("reviews:accept", args=[under_review.pk]), {"experts": [expert.pk], "reason": REASON})
    assert "所选专家已分配" in again.content.decode()

    second = an_expert("乌海专家", region_code="150300")
    added = client.post(reverse("reviews:accept", args=[under_review.pk]), {"experts": [second.pk], "reason": REASON})
    assert added.status_code == 302
    assert ExpertReview.objects.filter(application=under_review).count() == 2


# --- scoring progress ---


def test_the_scores_page_flags_the_outlier_and_shows_the_trimmed_mean(client, five_scored, department):
    app, panel = five_scored
    client.force_login(department)
    text = page(client, "reviews:scores", app.pk)

    assert "80.00" in text  # the final score
    assert "去掉一个最高分和一个最低分" in text
    assert text.count("与其他专家平均分相差超过 20 分，请关注") == 2  # the summary and 专家5's row
    low = ExpertReview.objects.get(application=app, expert=panel[4])
    high = ExpertReview.objects.get(application=app, expert=panel[0])
    from reviews.scoring import result_of

    assert result_of(app).outliers == frozenset({low.pk})
    assert high.pk not in result_of(app).outliers
    for dimension in app.call.schema.rubric:
        assert f'{dimension.title}<br><span class="small muted">满分 {dimension.weight}' in text
    assert "综合评分 40 分。" in text
    assert reverse("reviews:scoresheet", args=[app.pk, "xlsx"]) in text


def test_with_four_experts_nothing_is_dropped(client, recommended, department):
    panel = [an_expert(f"专家{i}") for i in range(1, 5)]
    experts.assign(recommended, department, panel)
    for expert, total in zip(panel, (90, 84, 80, 76), strict=True):
        score(recommended, expert, total)
    client.force_login(department)
    text = page(client, "reviews:scores", recommended.pk)
    assert "82.50" in text
    assert "去掉一个最高分和一个最低分" not in text


def test_the_scores_page_shows_the_deadline_and_offers_more_experts_while_scoring(client, under_review, department):
    call = under_review.call
    call.scoring_deadline = timezone.now() + timedelta(days=3, hours=2)
    call.save()
    client.force_login(department)
    text = page(client, "reviews:scores", under_review.pk)
    assert "还剩 3 天" in text
    assert "追加专家" in text and reverse("reviews:accept", args=[under_review.pk]) in text
    assert "尚未作出利益冲突声明" in text


def test_recused_and_excluded_experts_are_listed_with_their_reasons(client, recommended, department, expert):
    local = an_expert("包头专家", region_code="150200")
    second = an_expert("乌海专家", region_code="150300")
    experts.assign(recommended, department, [expert, local, second])
    review = ExpertReview.objects.get(application=recommended, expert=second)
    experts.declare(review, second, has_conflict=True, statement="曾参与该集群规划编制。")
    client.force_login(department)
    text = page(client, "reviews:scores", recommended.pk)
    assert "规则回避：专家所在盟市（包头市）" in text
    assert "声明存在利益冲突：曾参与该集群规划编制。" in text


# --- the decision ---


def decide(client, app, **fields):
    return client.post(reverse("reviews:decide", args=[app.pk]), fields)


def test_the_decision_form_offers_tomorrow_and_a_week_of_publicity(client, awaiting_decision, department):
    client.force_login(department)
    text = page(client, "reviews:decide", awaiting_decision.pk)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert f'value="{tomorrow:%Y-%m-%d}"' in text
    assert f'value="{tomorrow + timedelta(days=7):%Y-%m-%d}"' in text
    assert "80.00" in text


@pytest.mark.parametrize(("amount", "message"), [("12.345", "保留小数点后2位"), ("abc", "请填写数字")])
def test_a_bad_amount_is_refused_and_the_typed_reason_kept(client, awaiting_decision, department, amount, message):
    client.force_login(department)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = decide(
        client,
        awaiting_decision,
        outcome="support",
        amount=amount,
        publicity_starts=f"{tomorrow:%Y-%m-%d}",
        publicity_ends=f"{tomorrow + timedelta(days=7):%Y-%m-%d}",
        reason="集群规模大、带动作用明显。",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "集群规模大、带动作用明显。" in text
    assert f'value="{amount}"' in text
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.AWAITING_DECISION
    assert not Decision.objects.filter(application=awaiting_decision).exists()


def test_rejecting_without_a_reason_is_refused(client, awaiting_decision, department):
    client.force_login(department)
    response = decide(client, awaiting_decision, outcome="reject", reason="  ")
    assert "请填写不予支持的理由。" in response.content.decode()
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.AWAITING_DECISION


def test_a_refusal_from_the_rules_is_shown_above_the_form(client, awaiting_decision, department):
    client.force_login(department)
    today = timezone.localdate()
    response = decide(
        client,
        awaiting_decision,
        outcome="support",
        amount="300",
        publicity_starts=f"{today + timedelta(days=1):%Y-%m-%d}",
        publicity_ends=f"{today + timedelta(days=2):%Y-%m-%d}",
    )
    assert "公示期不少于 5 天" in response.content.decode()
    assert not Decision.objects.filter(application=awaiting_decision).exists()


def test_supporting_starts_the_publicity_and_saves_the_decision(client, awaiting_decision, department):
    client.force_login(department)
    starts = timezone.localdate() + timedelta(days=1)
    response = decide(
        client,
        awaiting_decision,
        outcome="support",
        amount="300.5",
        publicity_starts=f"{starts:%Y-%m-%d}",
        publicity_ends=f"{starts + timedelta(days=7):%Y-%m-%d}",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[awaiting_decision.pk])
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.PUBLICISING
    decision = Decision.objects.get(application=awaiting_decision)
    assert decision.amount == Decimal("300.50") and decision.publicity_starts == starts
    text = page(client, "reviews:decide", awaiting_decision.pk)  # now read-only
    assert "300.50 万元" in text and "公示期满立项" in text and "确认决定" not in text


def test_rejecting_ends_the_application_as_not_supported(client, awaiting_decision, department):
    client.force_login(department)
    response = decide(client, awaiting_decision, outcome="reject", reason="创新能力指标偏弱。")
    assert response.status_code == 302
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.NOT_SUPPORTED
    assert Decision.objects.get(application=awaiting_decision).reason == "创新能力指标偏弱。"


def test_the_decision_page_is_not_found_before_scoring_is_done(client, under_review, department):
    client.force_login(department)
    assert client.get(reverse("reviews:decide", args=[under_review.pk])).status_code == 404


# --- 公示 and 立项 ---


def test_establishing_is_refused_during_the_publicity_and_allowed_after_it(client, awaiting_decision, department):
    today = timezone.localdate()
    decisions.support(awaiting_decision, department, "200.00", today, today + timedelta(days=6))
    client.force_login(department)
    url = reverse("reviews:establish", args=[awaiting_decision.pk])

    refused = client.post(url)
    assert refused.status_code == 302
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.PUBLICISING
    assert "期满后才能立项" in page(client, "reviews:decide", awaiting_decision.pk)

    Decision.objects.filter(application=awaiting_decision).update(
        publicity_starts=today - timedelta(days=10), publicity_ends=today - timedelta(days=1)
    )
    done = client.post(url)
    assert done.status_code == 302 and done["Location"] == reverse("reviews:detail", args=[awaiting_decision.pk])
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.APPROVED
    assert Decision.objects.get(application=awaiting_decision).closed_at is not None
    assert "已立项" in page(client, "reviews:decide", awaiting_decision.pk)


def test_establish_takes_no_get(client, awaiting_decision, department):
    client.force_login(department)
    assert client.get(reverse("reviews:establish", args=[awaiting_decision.pk])).status_code == 405
