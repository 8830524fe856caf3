"""Every role against the objects of the apps above accounts: applications, expert reviews, official
documents, messages, exports and calls. Scoping reaches them without importing their models (see the
module's docstring); these tests hold its rules to the same answers role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts import scoping
from accounts.models import Role
from applications.models import Application, Status
from calls.models import Call
from documents.models import DocumentJob, OfficialDocument, OfficialStatus
from documents.tests import official
from documents.tests.submitted import submitted
from notifications.models import Event, Notification
from regions.models import Region
from reviews.models import ExpertReview
from tests import factories

pytestmark = pytest.mark.django_db

Review = ExpertReview.Status


@pytest.fixture
def world(call):
    """Four applications and one person of every kind around them.

    包头 leads a withdrawn draft and a submitted application, both joined by 通辽; 通辽 leads a
    recommended one and 鄂尔多斯 a submitted one. The `reader` expert declared no conflict on two and
    has yet to declare on a third; the `absent` expert recused, was excluded by rule, or withdrawn.
    """
    tongliao = Region.objects.get(code="150500")
    apps = {
        "baotou_draft": submitted(call, "150200", status=Status.DRAFT),  # withdrawn (撤回): it keeps its version
        "baotou_submitted": submitted(call, "150200", status=Status.SUBMITTED),
        "tongliao_recommended": submitted(call, "150500", status=Status.RECOMMENDED),
        "ordos_submitted": submitted(call, "150600", status=Status.SUBMITTED),
    }
    for name in ("baotou_draft", "baotou_submitted"):
        apps[name].participating_regions.add(tongliao)
    department = factories.user(Role.DEPARTMENT)
    users = {
        "draft_applicant": apps["baotou_draft"].created_by,
        "applicant": apps["baotou_submitted"].created_by,
        "baotou_bureau": factories.user(Role.BUREAU, region_code="150200"),
        "tongliao_bureau": factories.user(Role.BUREAU, region_code="150500"),
        "department": department,
        "reader": factories.user(Role.EXPERT),
        "absent": factories.user(Role.EXPERT),
        "system_admin": factories.user(Role.SYSTEM_ADMIN),
        "security_admin": factories.user(Role.SECURITY_ADMIN),
        "audit_admin": factories.user(Role.AUDIT_ADMIN),
    }
    reviews = {}
    for expert, app, status in [
        ("reader", "baotou_draft", Review.SCORING),  # declared before the applicant withdrew it
        ("reader", "baotou_submitted", Review.SCORING),
        ("reader", "tongliao_recommended", Review.ASSIGNED),
        ("reader", "ordos_submitted", Review.SUBMITTED),
        ("absent", "baotou_submitted", Review.RECUSED),
        ("absent", "tongliao_recommended", Review.REMOVED),
        ("absent", "ordos_submitted", Review.EXCLUDED),
    ]:
        reviews[expert, app] = ExpertReview.objects.create(
            application=apps[app],
            version=apps[app].versions.get(),
            expert=users[expert],
            assigned_by=department,
            status=status,
        )
    return apps, users, reviews


def names(objects, world_part):
    """The names in `world_part` of the objects in `objects`."""
    pks = {obj.pk for obj in objects}
    return {name for name, obj in world_part.items() if obj.pk in pks}


def by_person(users, scope):
    """What `scope(user)` holds, person by person: one comparison shows every role that differs."""
    return {who: scope(user) for who, user in users.items()}


VISIBLE_APPLICATIONS = {
    "draft_applicant": {"baotou_draft"},  # its own, draft included
    "applicant": {"baotou_submitted"},
    "baotou_bureau": {"baotou_submitted"},  # what it leads, never a draft
    "tongliao_bureau": {"baotou_submitted", "tongliao_recommended"},  # and what it joins, never a draft
    "department": {"baotou_submitted", "tongliao_recommended", "ordos_submitted"},  # every non-draft
    "reader": {"baotou_submitted", "ordos_submitted"},  # declared no conflict, and not a draft
    "absent": set(),
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
}


def test_each_role_sees_exactly_its_applications(world):
    apps, users, _ = world
    assert by_person(users, lambda user: names(Application.objects.visible_to(user), apps)) == VISIBLE_APPLICATIONS


def test_may_view_application_agrees_with_the_list_for_every_application(world):
    apps, users, _ = world
    viewable = by_person(users, lambda user: {n for n, app in apps.items() if scoping.may_view_application(user, app)})
    assert viewable == VISIBLE_APPLICATIONS


def test_visible_to_narrows_the_queryset_it_is_given(world):
    apps, users, _ = world
    led_by_tongliao = Application.objects.filter(lead_region__code="150500")
    assert names(led_by_tongliao.visible_to(users["department"]), apps) == {"tongliao_recommended"}
    assert names(led_by_tongliao.visible_to(users["baotou_bureau"]), apps) == set()


def test_a_disabled_account_sees_no_application(world):
    _, users, _ = world
    department = users["department"]
    department.is_active = False
    assert not Application.objects.visible_to(department).exists()


NOBODY: dict[str, set[str]] = {who: set() for who in VISIBLE_APPLICATIONS}
LED = {**NOBODY, "baotou_bureau": {"baotou_submitted"}, "tongliao_bureau": {"tongliao_recommended"}}


def test_a_bureaus_inbox_holds_what_it_leads_and_not_what_it_only_joins(world):
    apps, users, _ = world
    assert by_person(users, lambda user: names(scoping.led_applications(user, Application.objects), apps)) == LED


# An expert sees applications, but exports no 汇总表 of them.
SUMMARISED = {**LED, "department": VISIBLE_APPLICATIONS["department"]}


def test_a_summary_covers_every_submitted_application_for_the_region_and_the_led_ones_for_a_bureau(world):
    apps, users, _ = world
    summarised = by_person(users, lambda user: names(scoping.summarised_for(user, Application.objects), apps))
    assert summarised == SUMMARISED


VISIBLE_REVIEWS = {
    **NOBODY,
    "reader": {
        ("reader", "baotou_draft"),
        ("reader", "baotou_submitted"),
        ("reader", "tongliao_recommended"),
        ("reader", "ordos_submitted"),
    },
    # A recusal stays on the expert's list; a rule exclusion never was a task, a withdrawn one no longer is.
    "absent": {("absent", "baotou_submitted")},
}


def test_an_expert_sees_its_current_reviews_and_the_department_all_of_them(world):
    _, users, reviews = world
    seen = by_person(users, lambda user: names(ExpertReview.objects.visible_to(user), reviews))
    assert seen == {**VISIBLE_REVIEWS, "department": set(reviews)}


def test_an_expert_is_assigned_unless_excluded_or_withdrawn(world):
    apps, users, _ = world
    assigned = by_person(users, lambda user: {n for n, app in apps.items() if scoping.is_assigned_expert(user, app)})
    # Before the declaration too, and after a recusal; a 自治区 official is never an assigned expert.
    assert assigned == {
        **NOBODY,
        "reader": {"baotou_draft", "baotou_submitted", "tongliao_recommended", "ordos_submitted"},
        "absent": {"baotou_submitted"},
    }


@pytest.mark.parametrize("status", Status)
def test_the_applicant_withdraws_and_the_lead_bureau_visits_only_while_the_bureau_has_not_acted(status):
    bureau = factories.user(Role.BUREAU, region_code="150200")
    other_bureau = factories.user(Role.BUREAU, region_code="150500")
    applicant = factories.user(Role.APPLICANT, region_code="150200")
    app = Application(organisation=applicant.organisation, lead_region=bureau.region, status=status)
    assert scoping.may_withdraw_application(applicant, app) is (status == Status.SUBMITTED)
    assert scoping.may_record_site_visit(bureau, app) is (status == Status.SUBMITTED)
    assert not scoping.may_withdraw_application(factories.user(Role.APPLICANT), app)
    assert not scoping.may_record_site_visit(other_bureau, app)


def test_only_the_department_lists_the_failed_official_documents(world):
    apps, users, _ = world
    # Made out of order: the list follows the versions' submission, the earliest first.
    later = official.failed(apps["tongliao_recommended"].versions.get())
    earlier = official.failed(apps["baotou_submitted"].versions.get(), retry_at=timezone.now())  # a retry due
    OfficialDocument.objects.create(version=apps["ordos_submitted"].versions.get(), status=OfficialStatus.DONE)
    listed = by_person(users, lambda user: [*scoping.failed_official_documents_for(user, OfficialDocument.objects)])
    assert listed == {**{who: [] for who in users}, "department": [earlier, later]}


def test_only_the_department_authors_calls_published_or_not(world):
    _, users, _ = world
    Call.objects.update(is_published=False)
    authored = by_person(users, lambda user: set(scoping.calls_for_authoring(user, Call.objects)))
    assert authored == {**NOBODY, "department": set(Call.objects.all())}


def test_a_person_reads_its_own_messages_and_none_once_disabled(world):
    _, users, _ = world
    own = Notification.objects.create(recipient=users["applicant"], event=Event.SUBMITTED, title="已提交")
    Notification.objects.create(recipient=users["baotou_bureau"], event=Event.SUBMITTED, title="待初审")
    assert list(scoping.notifications_for(users["applicant"])) == [own]
    users["applicant"].is_active = False
    assert not scoping.notifications_for(users["applicant"]).exists()


def test_a_person_sees_its_own_exports_and_nobody_elses(world):
    _, users, _ = world
    own = DocumentJob.objects.create(kind="summary_pdf", title="汇总表", owner=users["department"])
    DocumentJob.objects.create(kind="summary_pdf", title="汇总表", owner=users["baotou_bureau"])
    assert list(scoping.document_jobs_for(users["department"], DocumentJob.objects)) == [own]


@pytest.mark.django_db
def test_an_anonymous_visitor_has_no_messages_and_no_exports():
    Notification.objects.create(recipient=factories.user(Role.APPLICANT), event=Event.SUBMITTED, title="已提交")
    DocumentJob.objects.create(kind="summary_pdf", title="汇总表", owner=factories.user(Role.DEPARTMENT))
    assert not scoping.notifications_for(AnonymousUser()).exists()
    assert not scoping.document_jobs_for(AnonymousUser(), DocumentJob.objects).exists()
