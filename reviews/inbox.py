"""What waits for whom: officials' lists ordered by how long each application has waited, and their deadlines.

A list is sorted and paged by the database on an index: when each application last moved is a column
of its own (Application.moved_at, kept equal to MAX(transition.at) by the database), each list's filter
and order has its index (Application.Meta.indexes), and the name and version officials read come from
the latest version's indexed copy (dashboards.models.SubmittedFigures). A page of 20 reads its 20 rows
off the index, with no subquery per row and no sort of every application, at 100,000 as at ten.

Pages follow each other by key (keyset paging): 下一页 carries the key of the page's last row and reads
the 20 rows after it, 上一页 the key of its first row, so page 500 costs what page 2 costs. An address
typed without a key (`?page=7`) is still served, by OFFSET on the same index: its cost grows with the
page's depth, never with the number of applications.
"""

from datetime import datetime

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import DateTimeField, Exists, F, Func, IntegerField, OuterRef, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils import timezone

from applications.models import WAIT_GROUP, wait_group
from calls import deadlines
from calls.models import Call
from reviews.models import Countersign


def waiting_first(applications):
    """`applications` with the name and version officials read, and when each last moved, oldest first.

    Closed ones (办结) come after everything still waiting; never moved ones (no transition) last of their
    kind; ties by id: the order of the key (WAIT_GROUP, moved_at, id) that the indexes hold."""
    # The lists show none of the answers: leaving them (and the call's guide) out keeps what the
    # database reads to a few columns per application.
    return (
        applications.defer("data", "cell_versions", "call__guide_text")
        .annotate(
            # The name and 版本 of the latest submitted version, never a returned application's draft.
            shown_name=F("submitted_figures__title"),
            version_number=F("submitted_figures__version_number"),
            last_moved=F("moved_at"),
        )
        .order_by(WAIT_GROUP, "moved_at", "pk")
    )


class Row(Func):
    """A row value, `(a, b, c)`: compared as a whole, it lets the database seek on a composite index."""

    template = "(%(expressions)s)"
    output_field = IntegerField()  # never read: a Row is only compared with another Row


def key_of(app):
    """A row's place in the list, as the page links carry it: `group.moved_at.id` (moved_at in ISO 8601)."""
    moved = app.moved_at.isoformat() if app.moved_at else ""
    return f"{wait_group(app)}~{moved}~{app.pk}"


def parse_key(text):
    """(group, moved_at or None, id) from `key_of`'s text, or None for anything else (a hand-edited link)."""
    try:
        group, moved, pk = (text or "").split("~")
        group, pk = int(group), int(pk)
        moved_at = datetime.fromisoformat(moved) if moved else None
    except ValueError:
        return None
    if group not in (0, 1, 2, 3) or (moved_at is None) != (group % 2 == 1) or (moved_at and not moved_at.tzinfo):
        return None
    return group, moved_at, pk


def _beyond(applications, key, compare):
    """The rows after (`compare` GreaterThan) or before (LessThan) `key` in the list's order."""
    group, moved_at, pk = key
    if moved_at is None:  # a never-moved group: every row of it has moved_at NULL, so (group, id) orders it
        return applications.filter(compare(Row(WAIT_GROUP, F("pk")), Row(Value(group), Value(pk))))
    moved = Value(moved_at, output_field=DateTimeField())
    return applications.filter(compare(Row(WAIT_GROUP, F("moved_at"), F("pk")), Row(Value(group), moved, Value(pk))))


class KeyedPage(Page):
    """A page that knows the keys of its first and last rows (`before`, `after`), for its 上一页 and 下一页."""

    before = after = ""


def page_of(applications, params, per_page):
    """The page `params` asks for, of `applications` (from `waiting_first`): by key when its link carries
    one (`after` for 下一页, `before` for 上一页), else by number. Each page knows the keys of its first and
    last rows (`page.before`, `page.after`) for its own links."""
    paginator = Paginator(applications, per_page)
    try:
        number = paginator.validate_number(params.get("page"))
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    after, before = parse_key(params.get("after")), parse_key(params.get("before"))
    rows = None
    if after and number > 1:
        rows = list(_beyond(applications, after, GreaterThan)[:per_page])
    elif before and number < paginator.num_pages:
        backwards = _beyond(applications, before, LessThan).reverse()
        rows = list(reversed(backwards[:per_page]))
    # No key, or a key past either end (the list changed since the link was made): the page by its number.
    if not rows:
        rows = list(paginator.page(number).object_list)
    page = KeyedPage(rows, number, paginator)
    page.before = key_of(rows[0]) if rows else ""
    page.after = key_of(rows[-1]) if rows else ""
    return page


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
