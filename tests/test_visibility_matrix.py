"""Who sees an application: every role × every state, asked three ways.

One 包头 application with 通辽 among its 参与盟市 is put in each state in turn, and each person below
is asked about it through the list (`Application.objects.visible_to`), the question
(`scoping.may_view_application`) and a real page (the application's overview: its own applicant
reads it, an official or expert who may see it is sent on to their own page, anyone else gets 404 so
its existence does not leak). The three must agree with `EXPECTED`, written out by hand from the rule
in accounts/scoping.py.

The draft is the one after 撤回: it has been submitted, so it keeps its version, its 参与盟市 and —
to test the rule and not the workflow — its experts. Everything it earned by being submitted must still
not show it to anyone but its applicant: a draft is the applicant's alone.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application, Status, Version
from regions.models import Region
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db

LEAD, PARTICIPATING, UNRELATED = "150200", "150500", "150300"  # 包头, 通辽, 乌海
REVIEW = ExpertReview.Status

EVERY = frozenset(Status)
SUBMITTED_ONCE = EVERY - {Status.DRAFT}
NOBODY = frozenset()

# Who may see the application in which states: the rule, by hand.
EXPECTED = {
    "anonymous": NOBODY,
    "applicant": EVERY,  # its own, in every state
    "applicant of another organisation": NOBODY,  # of the same 盟市, even
    "lead 盟市": SUBMITTED_ONCE,
    "participating 盟市": SUBMITTED_ONCE,
    "unrelated 盟市": NOBODY,
    "自治区": SUBMITTED_ONCE,
    "expert scoring": SUBMITTED_ONCE,  # assigned and declared no conflict
    "expert who submitted": SUBMITTED_ONCE,
    "expert yet to declare": NOBODY,  # assigned, but a conflict not yet ruled out
    "expert who recused": NOBODY,
    "expert excluded by rule": NOBODY,
    "expert withdrawn": NOBODY,
    "expert who declined (drawn)": NOBODY,
    "expert who did not answer (drawn)": NOBODY,
    "expert not assigned": NOBODY,
    "系统管理员": NOBODY,
    "安全管理员": NOBODY,
    "审计管理员": NOBODY,
}
EXPERT_REVIEWS = {
    "expert scoring": REVIEW.SCORING,
    "expert who submitted": REVIEW.SUBMITTED,
    "expert yet to declare": REVIEW.ASSIGNED,
    "expert who recused": REVIEW.RECUSED,
    "expert excluded by rule": REVIEW.EXCLUDED,
    "expert withdrawn": REVIEW.REMOVED,
    "expert who declined (drawn)": REVIEW.DECLINED,
    "expert who did not answer (drawn)": REVIEW.EXPIRED,
}


@pytest.fixture
def world():
    """The application of a 包头 applicant, submitted once (a version), with 通辽 taking part."""
    applicant = factories.user(Role.APPLICANT, region_code=LEAD)
    app = factories.application(applicant)
    app.participating_regions.set([Region.objects.get(code=PARTICIPATING)])
    version = Version.objects.create(
        application=app,
        number=1,
        data=app.data,
        content_hash="0" * 64,
        submitted_at=timezone.now(),
        submitted_by=applicant,
        **factories.pinned(app.call),
    )
    return SimpleNamespace(app=app, version=version, applicant=applicant)


PEOPLE = {
    "anonymous": AnonymousUser,
    "applicant of another organisation": lambda: factories.user(Role.APPLICANT, region_code=LEAD),
    "lead 盟市": lambda: factories.user(Role.BUREAU, region_code=LEAD),
    "participating 盟市": lambda: factories.user(Role.BUREAU, region_code=PARTICIPATING),
    "unrelated 盟市": lambda: factories.user(Role.BUREAU, region_code=UNRELATED),
    "自治区": lambda: factories.user(Role.DEPARTMENT),
    "系统管理员": lambda: factories.user(Role.SYSTEM_ADMIN),
    "安全管理员": lambda: factories.user(Role.SECURITY_ADMIN),
    "审计管理员": lambda: factories.user(Role.AUDIT_ADMIN),
}


def person(world, who):
    """The one person the matrix asks about (built alone: 153 cases each make only what they need)."""
    if who == "applicant":
        return world.applicant
    if who.startswith("expert"):
        expert = factories.user(Role.EXPERT)
        if who in EXPERT_REVIEWS:
            ExpertReview.objects.create(
                application=world.app,
                version=world.version,
                expert=expert,
                status=EXPERT_REVIEWS[who],
                assigned_by=factories.user(Role.DEPARTMENT),
            )
        return expert
    return PEOPLE[who]()


def in_state(app, status):
    Application.objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()
    return app


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_sees_the_application_in_each_state(world, who, status, client):
    app, user = in_state(world.app, status), person(world, who)
    sees = status in EXPECTED[who]
    assert Application.objects.visible_to(user).filter(pk=app.pk).exists() is sees
    assert scoping.may_view_application(user, app) is sees

    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("applications:overview", args=[app.pk]))
    if not user.is_authenticated:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    elif not sees:
        assert response.status_code == 404
    elif who == "applicant":
        assert response.status_code == 200 and app.number in response.content.decode()
    else:  # officials and experts read the frozen versions on their own pages
        own_page = (
            reverse("reviews:expert_tasks") if who.startswith("expert") else reverse("reviews:detail", args=[app.pk])
        )
        assert response.status_code == 302 and response["Location"] == own_page


def test_the_matrix_holds_every_role_and_every_state(world):
    people = [person(world, who) for who in EXPECTED]
    assert {getattr(p, "role", None) for p in people} == {*Role, None}  # None: the anonymous visitor
    assert set(REVIEW) == set(EXPERT_REVIEWS.values())  # an expert in every review state
    assert len(Status) == 9  # a new state must be placed in EXPECTED's sets by hand


@pytest.mark.parametrize("who", [w for w in EXPECTED if EXPECTED[w]])
def test_a_person_who_sees_the_application_lists_it_exactly_once(world, who):
    # Leading and also taking part (or two routes to it) must not list an application twice.
    world.app.participating_regions.add(Region.objects.get(code=LEAD))
    user = person(world, who)
    for status in EXPECTED[who]:
        in_state(world.app, status)
        assert [a.pk for a in Application.objects.visible_to(user)].count(world.app.pk) == 1, status


# --- 会签: who gives an opinion, in which states, and who reads the opinions given ---

# A participating 盟市 signs while the lead 盟市 has the application under 初审, and at no other time.
COUNTERSIGNS = {who: NOBODY for who in EXPECTED} | {"participating 盟市": frozenset({Status.SUBMITTED})}
# Every opinion for the lead 盟市, the 自治区 and an expert who may read the application; its own for a
# participating 盟市 (通辽 reads 通辽's, not 赤峰's); none for anyone else, and none of a draft.
READS_OPINIONS = {
    "lead 盟市": ("通辽", "赤峰"),
    "自治区": ("通辽", "赤峰"),
    "expert scoring": ("通辽", "赤峰"),
    "expert who submitted": ("通辽", "赤峰"),
    "participating 盟市": ("通辽",),
}


def with_opinions(world):
    """通辽's and 赤峰's 会签 of 第1版 (赤峰 takes part too)."""
    from reviews.models import Countersign

    chifeng = Region.objects.get(code="150400")
    world.app.participating_regions.add(chifeng)
    for region, agrees in ((Region.objects.get(code=PARTICIPATING), True), (chifeng, False)):
        Countersign.objects.create(
            application=world.app,
            version=world.version,
            region=region,
            agrees=agrees,
            opinion=f"{region.name[:2]}的意见",
            recorded_by=factories.user(Role.BUREAU, region_code=region.code),
        )


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_may_countersign_and_read_the_opinions_in_each_state(world, who, status):
    with_opinions(world)
    app, user = in_state(world.app, status), person(world, who)
    assert scoping.may_countersign(user, app) is (status in COUNTERSIGNS[who])
    read = sorted(c.opinion[:2] for c in scoping.countersigns_for(user, app))
    expected = READS_OPINIONS.get(who, ()) if status in EXPECTED[who] else ()
    assert read == sorted(expected)
