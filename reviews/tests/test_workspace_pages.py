"""The review workspace as HTML (issue 21): officials and experts read sizes in KB/MB, and hashes only when
they open 技术信息; the actions are open forms, never folded away; the score sheet's errors are listed at its
top, each linked to its field. (tests/browser/test_review_workspace.py checks what a person sees.)"""

import re

import pytest
from django.urls import reverse

from documents.tests.official import stored
from reviews import experts
from reviews.models import ExpertReview, Recommendation
from tests import factories

# A <details class="tech-info…"> disclosure and what is inside it (they are never nested).
TECH_INFO = re.compile(r'<details class="tech-info[^"]*">\s*<summary>技术信息[^<]*</summary>(.*?)</details>', re.S)


def split_technical(page):
    """(the page without its 技术信息 disclosures, the text inside them)."""
    return TECH_INFO.sub("", page), "".join(TECH_INFO.findall(page))


def hashes_of(app):
    version = app.latest_version
    return [version.content_hash, *(item["sha256"] for item in version.attachments)]


def detail_page(client, user, app):
    client.force_login(user)
    response = client.get(reverse("reviews:detail", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_region_reads_every_hash_only_under_technical_information(client, department, recommended):
    document = stored(recommended.latest_version)  # the official PDF, with its own hash and certificate fingerprint
    recommendation = Recommendation.objects.get(application=recommended)
    page = detail_page(client, department, recommended)

    shown, technical = split_technical(page)
    for digest in [*hashes_of(recommended), recommendation.sha256, document.sha256]:
        assert digest in technical
        assert digest[:12] not in shown
    assert "SHA-256" not in shown and "哈希" not in shown


def test_sizes_on_the_review_page_are_in_kb_or_mb_never_in_bytes(client, department, recommended):
    document = stored(recommended.latest_version, content=b"%PDF-1.7\n" + b"0" * 2000)
    page = detail_page(client, department, recommended)

    assert "字节" not in page
    assert f"{Recommendation.objects.get(application=recommended).size / 1024:.1f} KB" in page
    assert f"{document.size / 1024:.1f} KB" in page  # 2.0 KB, where the panel said "2009 字节"


def test_the_lead_bureau_sees_its_actions_as_open_forms_in_the_side_panel(client, bureau, media, call):
    app = factories.submitted_application("150200")
    page = detail_page(client, bureau, app)

    panel = page[page.index('<aside class="workspace-panel"') :]
    for action in ("site-visit-form", "recommend-form", "return-form"):
        assert f'<section class="action-panel" id="{action}"' in panel
    assert '<details class="action-panel' not in page
    assert 'href="#actions"' in page  # the bar that takes a phone to them


@pytest.fixture
def scoring(client, under_review, expert):
    client.force_login(expert)
    review = ExpertReview.objects.get(application=under_review, expert=expert)
    experts.declare(review, expert, has_conflict=False)
    return review


def test_the_expert_reads_hashes_only_under_technical_information(client, scoring):
    page = client.get(reverse("reviews:expert_review", args=[scoring.pk])).content.decode()

    shown, technical = split_technical(page)
    for digest in hashes_of(scoring.application)[1:]:  # the evidence files
        assert digest in technical
        assert digest[:12] not in shown
    assert "SHA-256" not in shown
    assert "KB" in shown


def test_a_refused_score_sheet_lists_each_problem_linked_to_its_field(client, scoring):
    rubric = scoring.version.schema.rubric
    first = rubric[0]
    response = client.post(
        reverse("reviews:expert_review", args=[scoring.pk]),
        {"action": "submit", f"score_{first.key}": str(first.weight + 1), "opinion": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()

    summary = page[page.index("data-error-summary") : page.index("</div>", page.index("data-error-summary"))]
    assert "评分未提交：有" in summary
    for dimension in rubric:
        assert f'<a href="#score_{dimension.key}">' in summary
    assert '<a href="#opinion">总体评审意见：' in summary
    # Each message is also next to its field, which names it.
    assert f'aria-describedby="score_{first.key}_error"' in page
    assert f'<p class="field-error" id="score_{first.key}_error">' in page
    assert "js/error-summary.js" in page
