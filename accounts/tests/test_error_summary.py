"""A form sent back with errors lists them at the top of the page, each linked to its field, as well as
beside the field (DEVELOPERS.md rule 7: errors stay in view on a phone, where the field may be far below)."""

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests import factories

SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)


def summary_links(response):
    """The (field id, sentence) pairs of the page's error summary; None when the page has none."""
    found = SUMMARY.search(response.content.decode())
    if found is None:
        return None
    return re.findall(r'<a href="#([\w-]+)">([^<]*)</a>', found.group(0))


@pytest.mark.django_db
def test_a_registration_with_errors_lists_each_one_at_the_top_linked_to_its_field(client):
    response = client.post(reverse("accounts:register"), {"name": "稀土促进会", "credit_code": "123"})
    form = response.context["form"]
    links = summary_links(response)
    assert links is not None
    assert {field for field, _ in links} == {f"id_{name}" for name in form.errors}
    assert ("id_credit_code", f"统一社会信用代码：{form.errors['credit_code'][0]}") in links
    assert "id_name" not in {field for field, _ in links}  # what was right is not listed


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary(client):
    assert summary_links(client.get(reverse("accounts:register"))) is None


@pytest.mark.django_db
def test_the_password_change_page_lists_its_errors_at_the_top(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("accounts:password_change"), {"old_password": "Wrong#Pass1"})
    fields = {field for field, _ in summary_links(response)}
    assert fields == {"id_old_password", "id_new_password1", "id_new_password2"}


@pytest.mark.django_db
def test_a_staff_account_form_lists_its_errors_at_the_top(client):
    admin = factories.user(Role.SYSTEM_ADMIN)
    client.force_login(admin)
    response = client.post(reverse("accounts:account_create"), {"role": Role.BUREAU, "username": ""})
    assert response.status_code == 200
    assert "id_username" in {field for field, _ in summary_links(response)}


@pytest.mark.django_db
def test_a_failed_login_says_so_once_at_the_form_not_again_in_a_summary(client, applicant):
    response = client.post(reverse("accounts:login"), {"username": applicant.username, "password": "Wrong#Pass1"})
    assert "账号或密码错误" in response.content.decode()
    assert summary_links(response) is None
