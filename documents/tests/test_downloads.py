"""Who may download which document: the applicant its draft and versions, reviewers only what was submitted."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests import factories


def url(app, document="report", fmt="pdf", version=None):
    base = reverse("documents:download", args=[app.pk, document, fmt])
    return f"{base}?version={version}" if version else base


@pytest.fixture
def submitted(demo_submitted):
    return demo_submitted


def test_the_applicant_downloads_its_draft_as_word(client, applicant, draft):
    client.force_login(applicant)
    response = client.get(url(draft, "performance", "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Chinese file name survives
    assert response.content.startswith(b"PK")


def test_the_city_bureau_gets_the_submitted_version_not_the_draft(client, submitted, bureau):
    client.force_login(bureau)
    response = client.get(url(submitted, "report", "docx"))
    assert response.status_code == 200
    assert "%E7%AC%AC1%E7%89%88" in response["Content-Disposition"]  # 第1版


def test_a_reviewer_cannot_download_a_draft_that_was_never_submitted(client, draft, bureau):
    client.force_login(bureau)
    assert client.get(url(draft)).status_code == 404


def test_another_city_and_another_applicant_get_404(client, submitted):
    for user in (factories.user(Role.BUREAU, region_code="150500"), factories.user(Role.APPLICANT)):
        client.force_login(user)
        assert client.get(url(submitted, version=1)).status_code == 404


def test_unknown_documents_formats_and_versions_are_404(client, applicant, submitted):
    client.force_login(applicant)
    assert client.get(url(submitted, "secrets", "pdf")).status_code == 404
    assert client.get(url(submitted, "report", "exe")).status_code == 404
    assert client.get(url(submitted, version=9)).status_code == 404
    assert client.get(url(submitted, version="1 OR 1=1")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, submitted):
    response = client.get(url(submitted, version=1))
    assert response.status_code == 302 and "login" in response.url
