"""Every role against organisations and accounts of its own and of others: what it may see and do."""

import pytest
from django.urls import reverse

from accounts import scoping
from accounts.models import Organisation, Role, User
from tests import factories

ALL_ROLES = list(Role)


@pytest.fixture
def world(db):
    """Two 盟市 with one approved and one pending organisation each, and one account per role in 包头."""
    orgs = {
        "baotou_approved": factories.organisation("150200"),
        "baotou_pending": factories.organisation("150200", status=Organisation.Status.PENDING),
        "tongliao_approved": factories.organisation("150500"),
        "tongliao_pending": factories.organisation("150500", status=Organisation.Status.PENDING),
    }
    users: dict[Role | str, User] = {role: factories.user(role) for role in ALL_ROLES if role != Role.APPLICANT}
    users[Role.APPLICANT] = factories.user(Role.APPLICANT, organisation_obj=orgs["baotou_approved"])
    users["tongliao_bureau"] = factories.user(Role.BUREAU, region_code="150500")
    return orgs, users


VISIBLE_ORGANISATIONS = {
    Role.APPLICANT: {"baotou_approved"},
    Role.BUREAU: {"baotou_approved", "baotou_pending"},
    "tongliao_bureau": {"tongliao_approved", "tongliao_pending"},
    Role.DEPARTMENT: {"baotou_approved", "baotou_pending", "tongliao_approved", "tongliao_pending"},
    Role.SYSTEM_ADMIN: {"baotou_approved", "baotou_pending", "tongliao_approved", "tongliao_pending"},
    Role.EXPERT: set(),
    Role.SECURITY_ADMIN: set(),
    Role.AUDIT_ADMIN: set(),
}


@pytest.mark.parametrize("who, expected", VISIBLE_ORGANISATIONS.items())
def test_each_role_sees_exactly_its_organisations(world, who, expected):
    orgs, users = world
    seen = set(scoping.organisations_for(users[who]).values_list("pk", flat=True))
    assert seen == {orgs[name].pk for name in expected}


@pytest.mark.parametrize("who", [*ALL_ROLES, "tongliao_bureau"])
@pytest.mark.parametrize("org", ["baotou_pending", "baotou_approved", "tongliao_pending"])
def test_only_the_own_regions_bureau_reviews_a_pending_registration(world, who, org):
    orgs, users = world
    expected = (who, org) in {(Role.BUREAU, "baotou_pending"), ("tongliao_bureau", "tongliao_pending")}
    assert scoping.may_review_registration(users[who], orgs[org]) is expected


@pytest.mark.parametrize("status, expected", [("pending", True), ("rejected", True), ("approved", False)])
def test_applicant_edits_its_own_registration_until_approved(world, status, expected):
    orgs, users = world
    own = orgs["baotou_approved"]
    own.status = status
    assert scoping.may_edit_registration(users[Role.APPLICANT], own) is expected


@pytest.mark.parametrize("who", ALL_ROLES)
def test_nobody_edits_another_organisations_registration(world, who):
    orgs, users = world
    assert not scoping.may_edit_registration(users[who], orgs["baotou_pending"])


@pytest.mark.parametrize("who", ALL_ROLES)
def test_only_the_system_admin_lists_accounts(world, who):
    _, users = world
    visible = scoping.accounts_for(users[who])
    assert visible.exists() is (who == Role.SYSTEM_ADMIN)


@pytest.mark.parametrize("target", ALL_ROLES)
@pytest.mark.parametrize("who", ALL_ROLES)
def test_system_admin_manages_business_accounts_but_no_operator_account(world, who, target):
    _, users = world
    expected = who == Role.SYSTEM_ADMIN and target in (Role.APPLICANT, Role.BUREAU, Role.DEPARTMENT, Role.EXPERT)
    assert scoping.may_manage_account(users[who], users[target]) is expected


@pytest.mark.parametrize("who", ALL_ROLES)
def test_operator_pages_belong_to_one_operator_each(world, who):
    _, users = world
    assert scoping.may_create_accounts(users[who]) is (who == Role.SYSTEM_ADMIN)
    assert scoping.may_manage_security_policy(users[who]) is (who == Role.SECURITY_ADMIN)
    assert scoping.may_read_login_log(users[who]) is (who == Role.AUDIT_ADMIN)


@pytest.mark.django_db
def test_disabled_accounts_hold_no_role(world):
    _, users = world
    admin = users[Role.SYSTEM_ADMIN]
    admin.is_active = False
    assert not scoping.accounts_for(admin).exists()
    assert not scoping.organisations_for(admin).exists()


# Page by page: 200 allowed, 403 refused by role, 404 an object outside the user's scope.
PAGES = {
    "accounts:organisation_list": {Role.BUREAU: 200, Role.DEPARTMENT: 200, Role.SYSTEM_ADMIN: 200},
    "accounts:account_list": {Role.SYSTEM_ADMIN: 200},
    "accounts:account_create": {Role.SYSTEM_ADMIN: 200},
    "regions:list": {Role.DEPARTMENT: 200, Role.SYSTEM_ADMIN: 200},
}


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_list_pages_answer_each_role(client, world, who, page):
    _, users = world
    client.force_login(users[who])
    assert client.get(reverse(page)).status_code == PAGES[page].get(who, 403)


@pytest.mark.parametrize(
    "who, org, expected",
    [
        (Role.BUREAU, "baotou_pending", 200),
        (Role.BUREAU, "tongliao_pending", 404),
        (Role.DEPARTMENT, "tongliao_pending", 200),
        (Role.SYSTEM_ADMIN, "tongliao_pending", 200),
        (Role.APPLICANT, "baotou_approved", 403),
        (Role.EXPERT, "baotou_pending", 403),
        (Role.SECURITY_ADMIN, "baotou_pending", 403),
        (Role.AUDIT_ADMIN, "baotou_pending", 403),
    ],
)
def test_organisation_detail_answers_each_role(client, world, who, org, expected):
    orgs, users = world
    client.force_login(users[who])
    assert client.get(reverse("accounts:organisation_detail", args=[orgs[org].pk])).status_code == expected


def test_anonymous_visitors_are_sent_to_login(client, world):
    orgs, _ = world
    for url in [reverse(page) for page in PAGES] + [
        reverse("accounts:organisation_detail", args=[orgs["baotou_pending"].pk])
    ]:
        assert client.get(url).status_code in (302, 403)
