"""会签: the participating 盟市 of a cross-盟市 application give their opinion before the lead 盟市 recommends.

The call decides whether 会签 is asked and whether 推荐 waits for it (`countersign:` in its schema;
calls/schema/model.py). Each opinion belongs to the version it was given on, so a resubmission after a
return asks every participating 盟市 again; the gate that refuses 推荐 while one is missing is
applications/workflow.py's (`missing_countersigns`).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from accounts import scoping
from applications import workflow
from applications.workflow import WorkflowRefused
from audit.log import record
from calls.schema.values import clean_text, over_limit
from reviews import notices
from reviews.models import Countersign

OPINION_MAX_CHARS = 500


@dataclass
class RegionStatus:
    """One participating 盟市 and its opinion on the version under review (None while it has given none)."""

    region: object
    opinion: Countersign | None


@dataclass
class Overview:
    """What the review page says about 会签: the call's rule, each 盟市 on this version, the opinions a reader sees."""

    required: bool
    regions: list  # RegionStatus for each participating 盟市, by code
    opinions: list  # every Countersign the reader may see, latest version first
    sees_all: bool  # the lead 盟市, the 自治区, an expert; a participating 盟市 sees its own opinions only

    @property
    def missing(self):
        return [row.region for row in self.regions if row.opinion is None]


def opinion_problem(opinion):
    """What is wrong with a 会签 opinion's text, or None."""
    text = clean_text(opinion)
    if not text:
        return "请填写会签意见。"
    return over_limit("会签意见", text, OPINION_MAX_CHARS)


def record_opinion(application, user, agrees, opinion, now=None):
    """会签: the participating 盟市's 同意/不同意 and its opinion on the version the lead 盟市 is reviewing."""
    if agrees is None:
        raise WorkflowRefused("请选择同意或不同意。")
    problem = opinion_problem(opinion)
    if problem:
        raise WorkflowRefused(problem)
    with transaction.atomic():
        app = workflow.locked(application)
        if not scoping.may_countersign(user, app):
            raise WorkflowRefused("申报书已不在盟市初审阶段，或本盟市不是其参与盟市，不能会签。")
        version = app.latest_version
        if app.countersigns.filter(version=version, region_id=user.region_id).exists():
            raise WorkflowRefused(f"本盟市已对第{version.number}版会签，会签意见提交后不能修改。")
        try:
            with transaction.atomic():
                row = Countersign.objects.create(
                    application=app,
                    version=version,
                    region_id=user.region_id,
                    agrees=agrees,
                    opinion=clean_text(opinion),
                    recorded_by=user,
                    **({"recorded_at": now} if now else {}),
                )
        except IntegrityError:  # another account of the same 盟市 signed this version a moment earlier
            raise WorkflowRefused(f"本盟市已对第{version.number}版会签，会签意见提交后不能修改。") from None
        # Audited in the same transaction: ids and the verdict, never the opinion's text (docs/audit.md).
        record(
            "countersign",
            user=user,
            obj=row,
            detail={
                "application": app.pk,
                "number": app.number,
                "version": version.number,
                "region": user.region.code,
                "agrees": agrees,
            },
        )
        notices.countersigned(app, row)
        return row


def overview(user, application):
    """会签 on the review page for `user`, or None when the call asks for none or nobody takes part."""
    participating = list(application.participating_regions.exclude(pk=application.lead_region_id))
    if not participating or not application.schema.asks_countersign:
        return None
    version = application.latest_version
    opinions = list(scoping.countersigns_for(user, application))
    on_version = {c.region_id: c for c in opinions if version and c.version_id == version.pk}
    return Overview(
        required=application.schema.requires_countersign,
        regions=[RegionStatus(region, on_version.get(region.pk)) for region in participating],
        opinions=opinions,
        sees_all=not scoping.joins_application(user, application),
    )


def own_opinion(user, application):
    """The opinion this participating 盟市 gave on the version under review, or None."""
    version = application.latest_version
    if version is None or not scoping.joins_application(user, application):
        return None
    return application.countersigns.filter(version=version, region_id=user.region_id).first()
