"""/verify/<code>/ tells anyone whether a printed code is real, and shows content only to those allowed."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import submission
from documents.record import format_code, normalise_code
from tests import factories

pytestmark = pytest.mark.usefixtures("steady_query_counts")  # counted queries


@pytest.fixture
def version(demo_submitted):
    return demo_submitted.latest_version


def verify_url(version):
    return reverse("verify", args=[format_code(version.content_hash)])


def test_a_real_code_names_the_application_version_and_time_but_no_content_to_strangers(client, version):
    response = client.get(verify_url(version))
    page = response.content.decode()
    assert response.status_code == 200
    assert "有效" in page and version.application.number in page and "第 1 版" in page
    assert "包头稀土新材料产业集群" not in page and version.content_hash not in page


def test_the_code_works_typed_without_dashes_and_in_lower_case(client, version):
    code = version.content_hash[:16].lower()
    response = client.get(reverse("verify", args=[code]))
    assert response.status_code == 200 and "有效" in response.content.decode()
    assert version.application.number in response.content.decode()

    response = client.get(reverse("verify_form"), {"code": format_code(version.content_hash)})
    assert response.status_code == 302 and response.url == reverse("verify", args=[code.upper()])


def test_a_person_allowed_to_see_the_application_sees_whose_it_is(client, version, applicant):
    client.force_login(applicant)
    page = client.get(verify_url(version)).content.decode()
    assert "包头稀土新材料产业集群" in page and version.content_hash in page


def test_a_bureau_of_another_city_is_told_the_code_is_real_but_sees_no_content(client, version):
    client.force_login(factories.user(Role.BUREAU, region_code="150500"))
    page = client.get(verify_url(version)).content.decode()
    assert "有效" in page and "包头稀土新材料产业集群" not in page


def test_a_wrong_code_is_refused(client, version):
    wrong = "0000-0000-0000-0000" if not version.content_hash.startswith("0000") else "FFFF-FFFF-FFFF-FFFF"
    response = client.get(reverse("verify", args=[wrong]))
    assert response.status_code == 404 and "无效" in response.content.decode()


@pytest.mark.parametrize("junk", ["abc", "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "1" * 40, "%3Cscript%3E"])
def test_malformed_codes_are_refused_without_a_lookup(client, junk, django_assert_num_queries):
    assert normalise_code(junk) is None
    response = client.get(f"/verify/{junk}/")
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


def test_a_draft_has_no_code_to_verify(draft):
    from documents.record import record_of

    assert record_of(draft).verification_code is None


def test_a_superseded_version_says_a_newer_one_exists(client, version, applicant):
    application = version.application
    submission.withdraw(application, applicant)
    application.refresh_from_db()
    submission.submit(application, applicant)
    page = client.get(verify_url(version)).content.decode()
    assert "最新为第 2 版" in page
