"""What waits for whom: officials' lists ordered by how long each application has waited, and their deadlines."""

from django.db.models import Case, F, IntegerField, Max, OuterRef, Subquery, Value, When
from django.utils import timezone

from applications.models import Status, Version
from calls import deadlines
from calls.models import Call
from reviews.forms import shown_name

# Nobody acts on these any more: they sort after everything still waiting for someone.
CLOSED_STATUSES = (Status.NOT_SUPPORTED, Status.APPROVED)


def waiting_first(applications):
    """`applications` with the name and version officials read, and when each last moved, oldest first."""
    latest_version = Version.objects.filter(application=OuterRef("pk")).order_by("-number").values("number")[:1]
    return applications.annotate(
        shown_name=shown_name(),
        version_number=Subquery(latest_version),
        last_moved=Max("transitions__at"),
        closed=Case(When(status__in=CLOSED_STATUSES, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("closed", F("last_moved").asc(nulls_last=True), "pk")


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
        app.waiting = "已办结" if app.status in CLOSED_STATUSES else waiting_text(app.last_moved, now)
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
