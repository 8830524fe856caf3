"""Forms of the 自治区's pages: experts to assign, the decision, the stage deadlines, a 盟市's extension.

They check what a form can check (a choice among the offered experts, a date, an amount's format);
the rules that span objects are the reviews modules' (experts, decisions, schedule), whose refusals
the views show at the top of the form.
"""

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone

from applications.workflow import WorkflowRefused
from regions.models import Region
from reviews import decisions, experts
from reviews.models import Decision
from shenbao.lib.forms import ModelMultipleChoiceField, ShenbaoForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends, in Asia/Shanghai time
DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PUBLICITY_DAYS = 7
REASON_MAX_CHARS = 1000


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": f"{label}：请填写有效的日期和时间。"},
        **kwargs,
    )


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": f"{label}：请填写有效的日期，如 2024-06-01。"},
        **kwargs,
    )


class AssignForm(ShenbaoForm):
    """The experts ticked on the 受理 page: active experts not yet assigned to this application."""

    experts = ModelMultipleChoiceField(
        label="评审专家",
        queryset=experts.candidate_experts(),
        widget=forms.CheckboxSelectMultiple,
    )

    reason = forms.CharField(
        label="人工选择理由",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="专家原则上随机抽取；人工选择须写明理由（如：备选专家已用完、需特定领域专家），理由记入评审记录。",
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "人工选择专家须填写理由。"
        field = cast(forms.ModelMultipleChoiceField, self.fields["experts"])
        field.queryset = experts.candidate_experts().exclude(pk__in=application.expert_reviews.values("expert_id"))
        field.error_messages.update(
            required="请至少选择一名评审专家。",
            invalid_choice="所选专家已分配或不是有效的评审专家账号，请刷新页面后重新选择。",
            invalid_pk_value="所选专家不存在，请刷新页面后重新选择。",
        )

    def chosen_ids(self):
        """The expert ids ticked in the posted form, to keep them ticked when it is shown again."""
        return {int(v) for v in self["experts"].data or () if str(v).isdigit()} if self.is_bound else set()


class DecisionForm(ShenbaoForm):
    """拟支持 with 奖补金额 and the 公示 period, or 不予支持 with a reason."""

    outcome = forms.ChoiceField(label="评审决定", choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    amount = forms.CharField(
        label="奖补金额（万元）",
        required=False,
        max_length=20,
        help_text="拟支持时填写，单位万元，保留两位小数，如 300.00。",
    )
    publicity_starts = _date_field("公示开始日期", required=False)
    publicity_ends = _date_field(
        "公示结束日期",
        required=False,
        help_text=f"公示期不少于 {decisions.MIN_PUBLICITY_DAYS} 天，期满无异议后方可立项。",
    )
    reason = forms.CharField(
        label="决定理由",
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="不予支持时必须填写理由，申报单位和牵头盟市将看到此理由；拟支持时可填写支持意见。",
    )

    def __init__(self, *args, today=None, requested=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.requested = requested  # the 自治区奖补资金 the application asked for (decisions.requested_amount)
        if requested is not None:
            self.fields["amount"].help_text = (
                f"申请的自治区奖补资金为 {requested} 万元；拟支持金额超过申请金额的，须在“决定理由”中说明理由。"
                "单位万元，保留两位小数。"
            )
        today = today or timezone.localdate()
        self.fields["publicity_starts"].initial = today + timedelta(days=1)
        self.fields["publicity_ends"].initial = today + timedelta(days=1 + DEFAULT_PUBLICITY_DAYS)
        self.fields["reason"].error_messages["max_length"] = f"决定理由不超过 {REASON_MAX_CHARS} 字。"

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        outcome = cleaned.get("outcome")
        if outcome == Decision.Outcome.SUPPORT:
            amount = (cleaned.get("amount") or "").strip()
            if not amount:
                self.add_error("amount", "拟支持须填写奖补金额（万元）。")
            else:
                try:
                    parsed = decisions.parse_amount(amount)
                except WorkflowRefused as exc:
                    self.add_error("amount", str(exc))
                else:
                    if problem := decisions.amount_problem(parsed, self.requested, cleaned.get("reason")):
                        self.add_error("amount", problem)
            for name in ("publicity_starts", "publicity_ends"):
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, f"拟支持须填写{self.fields[name].label}。")
        elif outcome == Decision.Outcome.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "请填写不予支持的理由。")
        return cleaned


class StageDeadlineForm(ShenbaoForm):
    """The stage deadlines after the applicant window; their order is checked by reviews.schedule."""

    recommend_deadline = _datetime_field("盟市推荐截止时间")
    acceptance_deadline = _datetime_field("自治区受理截止时间")
    scoring_deadline = _datetime_field("专家评审截止时间")

    def __init__(self, *args, call, **kwargs):
        initial = {
            name: getattr(call, name) for name in ("recommend_deadline", "acceptance_deadline", "scoring_deadline")
        }
        super().__init__(*args, initial=initial, **kwargs)


class ExtensionForm(ShenbaoForm):
    """One 盟市 given more time to recommend than the call's deadline."""

    region = forms.ModelChoiceField(
        label="盟市",
        queryset=Region.objects.order_by("code"),
        empty_label="请选择盟市",
        error_messages={"invalid_choice": "请从列表中选择盟市。"},
    )
    until = _datetime_field("延长至", help_text="须晚于批次的盟市推荐截止时间（北京时间）。")
    reason = forms.CharField(
        label="延长理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "延长理由不超过 500 字。"},
    )
