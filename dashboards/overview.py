"""Where a call's applications stand: counts by state and by 盟市, how long each stage has waited, scoring.

Counts and scoring are grouped by the database, and so are the waits on PostgreSQL (on SQLite they are read
one row per waiting application and added up exactly here): three queries however many applications there are.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from applications.models import Status
from dashboards.figure_queries import counted
from dashboards.statistics import rounded
from reviews.models import ExpertReview

__all__ = ["call_overview"]
DAY = timedelta(days=1)


@dataclass(frozen=True)
class RegionRow:
    region_name: str
    counts: dict  # status -> number of applications, every counted status present
    total: int
    region_code: str = ""


@dataclass(frozen=True)
class WaitRow:
    status: str
    label: str
    count: int
    mean_days: Decimal | None  # None when nothing waits in this state
    max_days: Decimal | None


@dataclass(frozen=True)
class ScoringProgress:
    """Expert assignments on the applications under review, by where each expert is (ExpertReview.Status)."""

    applications: int  # applications 专家评审中
    assigned: int  # 待声明: assigned, no conflict declaration yet
    declared: int  # 评审中: declared no conflict, scoring not yet submitted
    submitted: int  # 已提交
    recused: int  # 已回避: declared a conflict of interest
    excluded: int  # 规则回避: excluded by rule (same organisation or 盟市)
    removed: int  # 已撤回分配

    @property
    def outstanding(self):
        """Experts who still owe a declaration or a score."""
        return self.assigned + self.declared

    @property
    def expected(self):
        """Every score asked for: those submitted and those still owed (the progress bar's whole)."""
        return self.submitted + self.outstanding


@dataclass(frozen=True)
class Overview:
    by_status: list  # (status, label, count) for every counted status, zeros kept
    by_region: list  # RegionRow by lead 盟市, in GB/T 2260 code order
    waiting: list  # WaitRow for each of Status.waiting()
    scoring: ScoringProgress

    @property
    def total(self):
        return sum(count for _, _, count in self.by_status)


def call_overview(applications, now=None, regions=None):
    """The overview of the counted `applications`; `regions` (盟市) get a row even with no application."""
    applications = counted(applications).order_by()
    by_status, by_region = _counts(applications, regions)
    return Overview(
        by_status=by_status,
        by_region=by_region,
        waiting=_waiting(applications, now or timezone.now()),
        scoring=_scoring(applications, under_review=dict((s, n) for s, _, n in by_status)[Status.UNDER_REVIEW]),
    )


def _counts(applications, regions):
    grouped = applications.values("lead_region__code", "lead_region__name", "status").annotate(n=Count("pk"))
    totals = dict.fromkeys(Status.official(), 0)
    names = {region.code: region.name for region in regions or ()}
    counts = {code: dict.fromkeys(Status.official(), 0) for code in names}
    for item in grouped:
        code, status = item["lead_region__code"], Status(item["status"])
        names[code] = item["lead_region__name"]
        counts.setdefault(code, dict.fromkeys(Status.official(), 0))[status] += item["n"]
        totals[status] += item["n"]
    by_status = [(status, status.label, totals[status]) for status in Status.official()]
    by_region = [
        RegionRow(region_name=names[code], counts=counts[code], total=sum(counts[code].values()), region_code=code)
        for code in sorted(counts)
    ]
    return by_status, by_region


def _entered():
    """When an application entered its state: its latest transition (Application.moved_at), or its submission."""
    return Coalesce(F("moved_at"), F("submitted_at"))


def _waiting(applications, now):
    """How long each application has waited since it entered its state, per waiting state: count, mean, longest.

    PostgreSQL adds the waits up itself, exactly, in one grouped query. SQLite has no date arithmetic
    of its own (Django subtracts with a Python function per row), so there the entry times are read,
    one row per waiting application, and added up here, as exactly: the faster way on each.
    """
    waiting = applications.filter(status__in=Status.waiting())
    if connection.vendor == "postgresql":
        wait = ExpressionWrapper(Value(now, output_field=DateTimeField()) - _entered(), output_field=DurationField())
        grouped = waiting.values("status").annotate(n=Count("pk"), total=Sum(wait), longest=Max(wait)).order_by()
        found = {item["status"]: (item["n"], item["total"], item["longest"]) for item in grouped}
    else:
        waits = {}
        for status, at in waiting.values_list("status", _entered()):
            waits.setdefault(status, []).append(now - at)
        found = {status: (len(each), sum(each, timedelta()), max(each)) for status, each in waits.items()}
    rows = []
    for status in Status.waiting():
        if status not in found:
            rows.append(WaitRow(status, status.label, 0, None, None))
            continue
        # Every application past a draft has its submission time, so every one has a wait.
        count, total, longest = found[status]
        rows.append(WaitRow(status, status.label, count, _days(total / count), _days(longest)))
    return rows


def _days(duration):
    return rounded(Decimal(duration.total_seconds()) / Decimal(DAY.total_seconds()), 1)


def _scoring(applications, under_review):
    reviews = ExpertReview.objects.filter(application__in=applications.filter(status=Status.UNDER_REVIEW).values("pk"))
    counts = reviews.aggregate(**{s.value: Count("pk", filter=Q(status=s)) for s in ExpertReview.Status})
    return ScoringProgress(
        applications=under_review,
        assigned=counts[ExpertReview.Status.ASSIGNED],
        declared=counts[ExpertReview.Status.SCORING],
        submitted=counts[ExpertReview.Status.SUBMITTED],
        recused=counts[ExpertReview.Status.RECUSED],
        excluded=counts[ExpertReview.Status.EXCLUDED],
        removed=counts[ExpertReview.Status.REMOVED],
    )
