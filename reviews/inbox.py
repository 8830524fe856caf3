"""What waits for whom: officials' lists ordered by how long each application has waited, and their deadlines.

A list is sorted and paged by the database: when each application last moved is a subquery on its
transitions (indexed by application), and the name and version officials read come from the
latest version's indexed copy (dashboards.models.SubmittedFigures), so a page of 20 costs the same
few queries for 10,000 applications as for ten, with no grouping over every transition.
"""

from django.db.models import Case, Exists, F, IntegerField, Max, OuterRef, Subquery, Value, When
from django.utils import timezone

from applications.models import Status, Transition
from calls import deadlines
from calls.models import Call
from reviews.models import Countersign


def waiting_first(applications):
    """`applications` with the name and version officials read, and when each last moved, oldest first."""
    transitions = Transition.objects.filter(application=OuterRef("pk")).order_by()
    last_moved = transitions.values("application").annotate(at=Max("at")).values("at")
    # The lists show none of the answers: leaving them (and the call's guide) out keeps what the
    # database sorts to a few columns per application.
    return (
        applications.defer("data", "cell_versions", "call__guide_text")
        .annotate(
            # The name and 版本 of the latest submitted version, never a returned application's draft.
            shown_name=F("submitted_figures__title"),
            version_number=F("submitted_figures__version_number"),
            last_moved=Subquery(last_moved),
            # Nobody acts on a closed one any more: it sorts after everything still waiting for someone.
            closed=Case(When(status__in=Status.closed(), then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("closed", F("last_moved").asc(nulls_last=True), "pk")
    )


def with_own_countersign(applications, region_id):
    """`applications` (from `waiting_first`) marked `countersigned` when this 盟市 gave its 会签 on the
    version officials read now: a participating 盟市's list shows what still waits for its opinion."""
    own = Countersign.objects.filter(
        application=OuterRef("pk"), region_id=region_id, version__number=OuterRef("version_number")
    )
    return applications.annotate(countersigned=Exists(own))


def awaiting_countersign(rows):
    """Mark each row of a participating 盟市's list `awaits_countersign`: under 初审, asked by its call, not signed."""
    for app in rows:
        app.awaits_countersign = app.awaits_bureau and not app.countersigned and app.schema.asks_countersign
    return rows


def waiting_text(since, now=None):
    """How long an application has waited since it last moved, as officials say it: 已等待3天."""
    if since is None:
        return ""
    seconds = max(0, int(((now or timezone.now()) - since).total_seconds()))
    if seconds >= 86400:
        return f"已等待{seconds // 86400}天"
    if seconds >= 3600:
        return f"已等待{seconds // 3600}小时"
    if seconds >= 60:
        return f"已等待{seconds // 60}分钟"
    return "刚刚提交"


def with_waiting(applications, now=None):
    """The rows of a list, each with its waiting time in words (已办结 for a closed one)."""
    rows = list(applications)
    for app in rows:
        app.waiting = "已办结" if app.is_closed else waiting_text(app.last_moved, now)
    return rows


def deadline_rows(user, call=None):
    """A 盟市工信局's recommendation deadline for each published call (or the chosen one), with its extension."""
    calls = [call] if call else Call.objects.published()
    now = timezone.now()
    rows = []
    for each in calls:
        deadline = deadlines.recommend_deadline(each, user.region)
        rows.append({"call": each, "deadline": deadline, "passed": deadlines.passed(deadline, now)})
    return rows
