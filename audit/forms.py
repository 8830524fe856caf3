"""The audit list's filters: every value is parsed by a form field before it reaches a query."""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from audit import refusals
from audit.log import ACTION_LABELS, action_label
from audit.models import AuditEntry, Result
from shenbao.lib.forms import ChineseFieldMessagesMixin


class AuditFilterForm(ChineseFieldMessagesMixin, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label="用户名", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *Result.choices])
    refusal = forms.ChoiceField(
        label="拒绝类型",
        required=False,
        choices=[("", "全部"), *refusals.KINDS.items()],
        help_text="只列出该类型的拒绝访问记录",
    )
    object = forms.CharField(
        label="对象",
        required=False,
        max_length=200,
        help_text="对象编号，或对象中的文字（如申报编号、统一社会信用代码、账号）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = set(ACTION_LABELS) | set(AuditEntry.objects.values_list("action", flat=True).distinct())
        self.fields["action"].choices = [("", "全部"), *sorted((c, action_label(c)) for c in codes)]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data

    def filter(self, queryset):
        """The entries matching the cleaned filters (call after is_valid())."""
        data = self.cleaned_data
        if data.get("date_from"):
            queryset = queryset.filter(at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min)))
        if data.get("date_to"):
            next_day = datetime.combine(data["date_to"] + timedelta(days=1), time.min)
            queryset = queryset.filter(at__lt=timezone.make_aware(next_day))
        if data.get("user"):
            queryset = queryset.filter(username__icontains=data["user"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("result"):
            queryset = queryset.filter(result=data["result"])
        if data.get("refusal"):
            queryset = queryset.filter(action=refusals.ACTION, detail__refusal=data["refusal"])
        if data.get("object"):
            text = data["object"]
            queryset = queryset.filter(Q(object_id=text) | Q(object_repr__icontains=text) | Q(object_type__iexact=text))
        return queryset
