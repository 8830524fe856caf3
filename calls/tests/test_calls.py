from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import Call


@pytest.fixture
def call(db):
    return Call.objects.get(code="cluster-2024")


def test_the_2024_cluster_call_is_created_with_the_full_guide(call):
    assert call.year == 2024
    assert call.guide_text.startswith("申报指南（四）")
    assert "集群促进组织名称" in call.guide_text and "（3000字以内）" in call.guide_text
    assert call.phase() == Call.Phase.UNPUBLISHED


def test_phase_follows_the_applicant_window(call):
    now = timezone.now()
    call.is_published = True
    call.applicant_opens_at = now + timedelta(hours=1)
    call.applicant_closes_at = now + timedelta(days=30)
    assert call.phase(now) == Call.Phase.NOT_YET_OPEN
    assert call.phase(now + timedelta(hours=2)) == Call.Phase.OPEN
    assert call.phase(now + timedelta(days=30)) == Call.Phase.CLOSED


def test_unpublished_guide_is_not_found_and_published_guide_is_public(client, call):
    url = reverse("calls:guide", args=[call.code])
    assert client.get(url).status_code == 404
    call.is_published = True
    call.applicant_opens_at = timezone.now()
    call.applicant_closes_at = timezone.now() + timedelta(days=1)
    call.save()
    response = client.get(url)
    assert response.status_code == 200
    assert "二、申报基本条件" in response.content.decode()
