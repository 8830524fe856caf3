"""What the 评审专家's pages show: the task list, the conflict declaration form, the score sheet rows.

Before an expert declares no conflict of interest it sees only what it needs to judge a conflict —
the application's number, cluster name, 申报单位 and its 盟市 — never a figure. The score sheet is
drawn from the call's rubric; its values are what the expert just posted (so nothing typed is lost
when a field is wrong) or else what was saved.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms

from applications.models import Status
from calls import deadlines
from calls.schema.rubric import Dimension
from reviews.models import ExpertReview
from shenbao.lib.forms import DUPLICATED, ShenbaoForm, posted_more_than_once

DECLARATION_LEAD = "本人与该申报单位不存在以下利益关系："
DECLARATION_ITEMS = (
    "在申报单位或其成员企业任职、兼职或担任顾问；",
    "近三年与申报单位存在合作、经济往来；",
    "与申报单位负责人存在近亲属关系；",
    "其他可能影响公正评审的情形。",
)
DECLARATION_PROMISE = "本人承诺客观、公正、独立地开展评审，对申报材料和评审情况严格保密，不利用评审工作谋取不正当利益。"

NO_CONFLICT, CONFLICT = "none", "conflict"


class DeclarationForm(ShenbaoForm):
    """利益冲突声明: no conflict opens the content; a conflict needs a statement and recuses the expert."""

    choice = forms.ChoiceField(
        label="您的声明",
        choices=[(NO_CONFLICT, "不存在利益冲突，开始评审"), (CONFLICT, "存在利益冲突，申请回避")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择是否存在利益冲突。", "invalid_choice": "请选择是否存在利益冲突。"},
    )
    statement = forms.CharField(
        label="利益冲突情况说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="申请回避时必填：请说明与申报单位存在的具体关系，不超过 1000 字。",
        error_messages={"max_length": "情况说明不超过 %(limit_value)d 字（现为 %(show_value)d 字）。"},
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("choice") == CONFLICT and not (cleaned.get("statement") or "").strip():
            self.add_error("statement", "申请回避须说明存在的利益冲突情形。")
        return cleaned

    @property
    def has_conflict(self):
        return self.cleaned_data["choice"] == CONFLICT


# --- The task list ---


@dataclass(frozen=True)
class Task:
    """One review as the task list shows it: identity only, never a figure of the application."""

    review: ExpertReview
    title: str  # the application's name, as frozen in the version under review
    participating: list  # names of the participating 盟市
    deadline: datetime | None
    deadline_passed: bool

    @property
    def application(self):
        return self.review.application

    @property
    def title_label(self):
        return self.review.version.schema.title_label

    @property
    def action_label(self):
        labels: dict[str, str] = {
            ExpertReview.Status.ASSIGNED: "声明利益冲突",
            ExpertReview.Status.SCORING: "评分",
            ExpertReview.Status.SUBMITTED: "查看评分",
        }
        return labels.get(self.review.status, "查看")


@dataclass(frozen=True)
class Group:
    status: str
    label: str
    hint: str
    tasks: list

    @property
    def is_pending(self):
        return self.status in ExpertReview.Status.pending()


GROUPS = (
    (ExpertReview.Status.ASSIGNED, "待声明", "查看申报内容前，须先声明与申报单位是否存在利益冲突。"),
    (ExpertReview.Status.SCORING, "评审中", "已声明不存在利益冲突，请在评审截止前完成评分并提交。"),
    (ExpertReview.Status.SUBMITTED, "已提交", "评分已提交，不能修改。"),
    (ExpertReview.Status.RECUSED, "已回避", "您已声明存在利益冲突，不参与这些申报的评审。"),
)


def task_of(review, now=None):
    deadline = review.application.call.scoring_deadline
    return Task(
        review=review,
        title=review.version.title,
        participating=[r.name for r in review.application.participating_regions.all()],
        deadline=deadline,
        deadline_passed=deadlines.passed(deadline, now),
    )


def task_groups(user, now=None):
    """The expert's own reviews (rule exclusions never appear), grouped by where each stands."""
    reviews = (
        ExpertReview.objects.visible_to(user)
        .select_related("application__call", "application__lead_region", "version")
        .prefetch_related("application__participating_regions")
        .order_by("application__call__scoring_deadline", "assigned_at", "pk")
    )
    tasks = [task_of(r, now) for r in reviews]
    return [
        Group(status, label, hint, [t for t in tasks if t.review.status == status]) for status, label, hint in GROUPS
    ]


# --- The score sheet ---


@dataclass(frozen=True)
class SheetRow:
    """One rubric dimension on the sheet: what it covers, and the score and comment shown for it."""

    dimension: Dimension
    sections: list  # [(section key, heading)] — links to #section-<key> in the content
    score: str
    comment: str
    score_error: str = ""
    comment_error: str = ""

    @property
    def key(self):
        return self.dimension.key


@dataclass(frozen=True)
class Sheet:
    rows: list
    opinion: str
    opinion_error: str = ""

    @property
    def error_count(self):
        return sum(bool(r.score_error) + bool(r.comment_error) for r in self.rows) + bool(self.opinion_error)


def score_sheet(review, posted=None, errors=None):
    """The sheet for `review`: the posted values when re-showing a form, otherwise the saved ones."""
    schema = review.version.schema
    errors = errors or {}
    rows = []
    for dimension in schema.rubric:
        if posted is not None:
            score = posted.get(f"score_{dimension.key}", "")
            comment = posted.get(f"comment_{dimension.key}", "")
        else:
            score = review.scores.get(dimension.key, "")
            comment = review.comments.get(dimension.key, "")
        rows.append(
            SheetRow(
                dimension=dimension,
                sections=[(key, schema.section_title(key)) for key in dimension.sections],
                score=score,
                comment=comment,
                score_error=errors.get(f"score_{dimension.key}", ""),
                comment_error=errors.get(f"comment_{dimension.key}", ""),
            )
        )
    opinion = posted.get("opinion", "") if posted is not None else review.opinion
    return Sheet(rows, opinion, errors.get("opinion", ""))


def duplicated_on_sheet(review, posted):
    """{field name: message} for every sheet field (and the 暂存/提交 button) the request sent twice.

    The sheet is read by name, not through a Form, so the rule ShenbaoForm applies to a field sent
    twice is applied here: refuse the whole post rather than keep whichever value came last.
    """
    names = ["action", "opinion"]
    for dimension in review.version.schema.rubric:
        names += [f"score_{dimension.key}", f"comment_{dimension.key}"]
    return {name: DUPLICATED for name in posted_more_than_once(posted, names)}


def closed_reason(review, now=None):
    """Why this sheet can no longer be changed (the same sentences experts.py refuses with), or ""."""
    app = review.application
    if review.status == ExpertReview.Status.SUBMITTED:
        return f"评分已于 {deadlines.format_time(review.submitted_at)} 提交，不能修改。"
    if app.status != Status.UNDER_REVIEW:
        return f"申报书当前为“{app.get_status_display()}”，评审已结束。"
    deadline = app.call.scoring_deadline
    if deadlines.passed(deadline, now):
        return f"专家评审已于 {deadlines.format_time(deadline)} 截止，不能再修改评分。"
    return ""
