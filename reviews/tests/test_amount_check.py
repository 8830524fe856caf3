"""The 拟支持 amount against the 自治区奖补资金 the application requested (decisions.requested_amount)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from applications.workflow import WorkflowRefused
from reviews import decisions
from reviews.models import Decision
from reviews.tests.test_region_views import score

REQUESTED = Decimal("1000.00")  # the demo application's fund_regional (applications/demo.py)


@pytest.fixture
def awaiting_decision(under_review, expert):
    score(under_review, expert, 80)
    under_review.refresh_from_db()
    assert under_review.status == Status.AWAITING_DECISION
    return under_review


def post_decision(client, app, amount, reason=""):
    starts = timezone.localdate() + timedelta(days=1)
    return client.post(
        reverse("reviews:decide", args=[app.pk]),
        {
            "outcome": "support",
            "amount": amount,
            "publicity_starts": f"{starts:%Y-%m-%d}",
            "publicity_ends": f"{starts + timedelta(days=7):%Y-%m-%d}",
            "reason": reason,
        },
    )


def test_the_requested_amount_is_read_through_the_schema_role_from_the_submitted_version(awaiting_decision):
    assert awaiting_decision.latest_version.schema.role("requested").key == "fund_regional"
    assert decisions.requested_amount(awaiting_decision) == REQUESTED


def test_the_requested_amount_is_the_submitted_versions_not_the_live_draft(awaiting_decision):
    awaiting_decision.data["fund_regional"] = "5.00"  # an edit that was never submitted
    awaiting_decision.save()
    assert decisions.requested_amount(awaiting_decision) == REQUESTED


def test_the_decide_page_shows_the_requested_amount_next_to_the_input(client, awaiting_decision, department):
    client.force_login(department)
    text = client.get(reverse("reviews:decide", args=[awaiting_decision.pk])).content.decode()
    assert "申请的自治区奖补资金：<strong>1000.00 万元</strong>" in text
    assert "申请的自治区奖补资金为 1000.00 万元" in text  # the amount field's own hint


def test_an_amount_equal_to_the_request_needs_no_reason(client, awaiting_decision, department):
    client.force_login(department)
    response = post_decision(client, awaiting_decision, "1000.00")
    assert response.status_code == 302
    assert Decision.objects.get(application=awaiting_decision).amount == REQUESTED


def test_one_fen_more_than_requested_is_refused_beside_the_amount_without_a_reason(
    client, awaiting_decision, department
):
    client.force_login(department)
    response = post_decision(client, awaiting_decision, "1000.01")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["amount"] == [
        "拟支持金额 1000.01 万元超过申请的自治区奖补资金 1000.00 万元，须在“决定理由”中说明超出申请金额的理由。"
    ]
    text = response.content.decode()
    assert 'value="1000.01"' in text  # what was typed stays
    assert "error-summary" in text
    assert not Decision.objects.filter(application=awaiting_decision).exists()


def test_one_fen_more_than_requested_passes_with_a_reason(client, awaiting_decision, department):
    client.force_login(department)
    response = post_decision(client, awaiting_decision, "1000.01", reason="集群带动作用突出，经党组会研究增加支持。")
    assert response.status_code == 302
    assert Decision.objects.get(application=awaiting_decision).amount == Decimal("1000.01")


def test_the_rule_holds_in_the_decision_function_too(awaiting_decision, department):
    today = timezone.localdate()
    with pytest.raises(WorkflowRefused, match="超过申请的自治区奖补资金"):
        decisions.support(awaiting_decision, department, "1000.01", today, today + timedelta(days=6))
    awaiting_decision.refresh_from_db()
    assert awaiting_decision.status == Status.AWAITING_DECISION
    decision = decisions.support(awaiting_decision, department, "1000.00", today, today + timedelta(days=6))
    assert decision.amount == REQUESTED
