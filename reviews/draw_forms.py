"""Forms of the draw (随机抽取) pages: the draw's parameters, an invitation's decline, the 组长."""

from datetime import timedelta
from typing import cast

from django import forms
from django.utils import timezone

from calls.expertise import FIELDS as EXPERTISE_FIELDS
from reviews import draws
from reviews.region_forms import DATETIME_FORMAT
from shenbao.lib.forms import ModelMultipleChoiceField, ShenbaoForm

DEFAULT_EXPERTS = 5
DEFAULT_RESERVES = 2
DEFAULT_ANSWER_DAYS = 3


class ApplicationsField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title}（{obj.organisation.name}）"


class DrawForm(ShenbaoForm):
    experts = forms.IntegerField(label="抽取人数", min_value=1, max_value=draws.MAX_EXPERTS, initial=DEFAULT_EXPERTS)
    reserves = forms.IntegerField(
        label="备选人数",
        min_value=0,
        max_value=draws.MAX_RESERVES,
        initial=DEFAULT_RESERVES,
        help_text="专家谢绝或逾期未答复时，按顺序自动递补。",
    )
    workload_cap = forms.IntegerField(
        label="每名专家在审任务上限",
        min_value=1,
        max_value=50,
        help_text="在审任务（待答复、待声明、评审中）达到上限的专家不参加本次抽取。",
    )
    respond_by = forms.DateTimeField(
        label="答复截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text="被抽中的专家须在此前接受（作出利益冲突声明）或谢绝，逾期视为谢绝（北京时间）。",
    )
    expertise = forms.MultipleChoiceField(
        label="专业领域",
        choices=EXPERTISE_FIELDS,
        widget=forms.CheckboxSelectMultiple,
        help_text="已按申报批次的主导产业对应关系预先勾选；专家具备其中任一领域即符合。",
    )
    group = ApplicationsField(
        label="同组申报（评审组）",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选同一批次待受理的其他申报，组成评审组，由同一组专家评审。",
    )
    supervisor = forms.CharField(
        label="监督人", max_length=30, required=False, help_text="现场监督抽取的人员姓名，打印后签字。"
    )

    def __init__(self, *args, group_choices, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = now or timezone.now()
        self.fields["workload_cap"].initial = draws.workload_cap()
        self.fields["respond_by"].initial = timezone.localtime(now + timedelta(days=DEFAULT_ANSWER_DAYS)).replace(
            second=0, microsecond=0
        )
        group = cast(forms.ModelMultipleChoiceField, self.fields["group"])
        group.queryset = group_choices
        self.fields["expertise"].error_messages["required"] = "请至少选择一个专业领域。"
        self.fields["respond_by"].error_messages["invalid"] = "答复截止时间：请填写有效的日期和时间。"

    def clean_respond_by(self):
        value = self.cleaned_data["respond_by"]
        if value <= timezone.now():
            raise forms.ValidationError("答复截止时间须晚于现在。")
        return value


class DeclineForm(ShenbaoForm):
    reason = forms.CharField(
        label="谢绝理由",
        max_length=150,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：时间冲突、与申报单位存在未声明的关联。自治区工信厅将看到此理由。",
    )


class LeaderForm(ShenbaoForm):
    leader = forms.ChoiceField(label="评审组组长")

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["leader"]).choices = [("", "请选择")] + [
            (str(e.pk), e.full_name) for e in experts
        ]
        self.fields["leader"].error_messages["invalid_choice"] = "组长须是本评审组已接受邀请的专家。"
