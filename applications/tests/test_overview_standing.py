"""What the applicant's overview, its home page and the officials' review page say about where an application
stands: the 流程进度 tracker, the decision as the headline, and after submission the official documents first."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import decisions
from reviews.tests.test_region_views import score


def overview(client, app):
    client.force_login(app.created_by)
    return client.get(reverse("applications:overview", args=[app.pk])).content.decode()


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headline_of(page):
    match = re.search(r'<section class="card decision-headline.*?</section>', page, re.DOTALL)
    return text_of(match.group(0)) if match else ""


@pytest.fixture
def publicising(under_review, expert, department):
    score(under_review, expert, 80)
    today = timezone.localdate()
    decisions.support(under_review, department, "800.00", today + timedelta(days=1), today + timedelta(days=7))
    under_review.refresh_from_db()
    return under_review


def test_in_publicity_the_headline_comes_first_with_the_amount_and_the_period(client, publicising):
    page = overview(client, publicising)
    starts = timezone.localdate() + timedelta(days=1)

    headline = headline_of(page)
    assert "拟支持，公示中" in headline
    assert "800.00 万元" in headline
    assert f"{starts:%Y-%m-%d} 至 {starts + timedelta(days=6):%Y-%m-%d}" in headline
    # The first card of the page, before the tracker and everything else.
    assert page.index("decision-headline") < page.index("stage-tracker-title") < page.index("<h2>填报说明</h2>")


def test_once_established_the_headline_offers_the_notice(client, publicising, department):
    decisions.establish(publicising, department, now=timezone.now() + timedelta(days=9))

    headline = headline_of(overview(client, publicising))

    assert "已立项" in headline and "800.00 万元" in headline and "立项日期" in headline
    assert "下载立项通知（PDF）" in headline


def test_not_supported_says_so_in_the_headline_without_an_amount(client, under_review, expert, department):
    score(under_review, expert, 60)
    decisions.reject(under_review, department, "产业规模不足。")

    headline = headline_of(overview(client, under_review))

    assert "未获支持" in headline and "万元" not in headline


def test_before_a_decision_there_is_no_headline(client, recommended):
    assert headline_of(overview(client, recommended)) == ""


def test_the_overview_shows_the_tracker_with_the_current_step_and_its_holder(client, recommended):
    page = overview(client, recommended)

    current = re.search(r'<li class="stage[^"]*" aria-current="step">(.*?)</li>', page, re.DOTALL)
    assert "自治区审核" in text_of(current.group(1))
    assert page.count('aria-current="step"') == 1
    assert "自治区工业和信息化厅 受理审查中" in page


def test_after_submission_the_official_documents_are_the_primary_downloads(client, recommended):
    page = overview(client, recommended)

    official = re.search(r'<section class="card official-documents".*?</section>', page, re.DOTALL).group(0)
    assert "正式申报文件（第1版）" in official
    # The watermarked draft is no help once the record is frozen: it is not offered.
    assert "草稿 PDF" not in page
    # Hashes are behind 技术信息, not beside the buttons.
    version = recommended.latest_version
    outside_details = re.sub(r"<details.*?</details>", "", page, flags=re.DOTALL)
    assert version.content_hash in page
    assert version.content_hash not in outside_details and version.short_hash not in outside_details


def test_a_draft_still_offers_the_draft_pdf_and_the_countdown(client, draft):
    page = overview(client, draft)

    assert "草稿 PDF" in page
    assert "official-documents" not in page
    assert "还剩" in page and "周" not in text_of(page)


def test_a_submitted_application_shows_no_application_deadline_countdown(client, recommended):
    page = overview(client, recommended)

    assert "申报截止" not in page


def test_the_review_page_shows_the_same_tracker_to_the_department(client, recommended, department):
    client.force_login(department)
    page = client.get(reverse("reviews:detail", args=[recommended.pk])).content.decode()

    assert "流程进度" in page and 'aria-current="step"' in page
    assert "自治区工业和信息化厅 受理审查中" in page


def test_the_applicant_home_puts_the_decision_and_amount_first_for_each_application(client, publicising):
    client.force_login(publicising.created_by)
    page = client.get(reverse("portal:home")).content.decode()

    standing = re.search(r'<article class="card application-standing">.*?</article>', page, re.DOTALL).group(0)
    assert "拟支持，公示中" in standing and "800.00 万元" in standing
    assert "自治区工业和信息化厅 公示中" in text_of(standing)
