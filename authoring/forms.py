"""The 自治区's forms for a call: copying one into a new call, its guide, its 申报 window, a new revision."""

from django import forms
from django.core.exceptions import ValidationError

from calls import deadlines
from calls.models import Call
from shenbao.lib.forms import ShenbaoForm, ShenbaoModelForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends, in Asia/Shanghai time
PREFIX_HELP = "可选，1–6 个大写字母，放在申报编号最前，如 XM 得到 XM2025-150200-001；同一年度有多个批次时用于区分。"


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": f"{label}：请填写有效的日期和时间。"},
    )


def _clean_prefix(value):
    value = (value or "").strip().upper()
    if value and not (value.isascii() and value.isalpha() and len(value) <= 6):
        raise ValidationError("申报编号前缀只能是 1–6 个英文字母。")
    return value


class CopyCallForm(ShenbaoForm):
    """A new call made from an earlier one: its guide, windows left empty, its form with years shifted."""

    source = forms.ModelChoiceField(
        Call.objects.order_by("-year", "code"),
        label="复制自",
        empty_label=None,
        error_messages={"invalid_choice": "请从列表中选择要复制的批次。"},
    )
    year = forms.IntegerField(
        label="申报年度",
        min_value=2000,
        max_value=2100,
        error_messages=dict.fromkeys(("min_value", "max_value", "invalid"), "申报年度应为 2000 至 2100 之间的年份。"),
    )
    code = forms.SlugField(
        label="批次代码",
        max_length=40,
        help_text="英文字母、数字和连字符，用于网址，如 cluster-2025；创建后不能修改。",
        error_messages={"invalid": "批次代码只能包含英文字母、数字、连字符和下划线。"},
    )
    name = forms.CharField(label="批次名称", max_length=100, help_text="留空则按原批次名称顺延年份。", required=False)
    number_prefix = forms.CharField(label="申报编号前缀", max_length=6, required=False, help_text=PREFIX_HELP)
    is_example = forms.BooleanField(label="示例批次（在各页面标注“示例”）", required=False)

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Call.objects.filter(code=code).exists():
            raise ValidationError(f"批次代码 {code} 已被使用，请换一个。")
        return code

    def clean_number_prefix(self):
        return _clean_prefix(self.cleaned_data.get("number_prefix"))


class CallGuideForm(ShenbaoModelForm):
    """What the public reads about a call: its name and the guide's title and text."""

    class Meta:
        model = Call
        fields = ["name", "guide_title", "guide_text", "number_prefix", "is_example"]
        labels = {"is_example": "示例批次（在各页面标注“示例”）"}
        help_texts = {"number_prefix": PREFIX_HELP}
        widgets = {"guide_text": forms.Textarea(attrs={"rows": 24})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.applications.exists():
            # Numbers already given out keep their form; a new prefix would start a second series.
            self.fields["number_prefix"].disabled = True
            self.fields["number_prefix"].help_text = "已有申报书编号，不能再修改前缀。"

    def clean_number_prefix(self):
        return _clean_prefix(self.cleaned_data.get("number_prefix"))


class CallWindowForm(ShenbaoModelForm):
    """The 申报 window; the later stages' deadlines are set on the call's timetable (reviews:schedule)."""

    applicant_opens_at = _datetime_field("申报开始时间")
    applicant_closes_at = _datetime_field("申报截止时间")

    class Meta:
        model = Call
        fields = ["applicant_opens_at", "applicant_closes_at"]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("applicant_opens_at"), cleaned.get("applicant_closes_at")
        if self.instance.is_published:
            if opens is None and "applicant_opens_at" not in self.errors:
                self.add_error("applicant_opens_at", "已发布的批次须有申报开始时间。")
            if closes is None and "applicant_closes_at" not in self.errors:
                self.add_error("applicant_closes_at", "已发布的批次须有申报截止时间。")
        if opens and closes and closes <= opens:
            self.add_error("applicant_closes_at", "申报截止时间须晚于申报开始时间。")
        self._keep_what_applicants_rely_on(cleaned)
        recommend = self.instance.recommend_deadline
        if closes and recommend and closes > recommend:
            self.add_error(
                "applicant_closes_at",
                f"申报截止时间不能晚于盟市推荐截止时间（{deadlines.format_time(recommend)}）；"
                "如需延后，请先在批次时间安排中调整盟市推荐截止时间。",
            )
        return cleaned

    def _keep_what_applicants_rely_on(self, cleaned):
        """Once 申报单位 have started applications, the window may not open later than it did (their
        drafts would be locked out)."""
        if not self.instance.pk or not self.instance.applications.exists():
            return
        opens, before = cleaned.get("applicant_opens_at"), self.instance.applicant_opens_at
        if opens and before and opens > before:
            self.add_error(
                "applicant_opens_at",
                f"已有申报单位填报本批次，申报开始时间不能晚于原定的 {deadlines.format_time(before)}。",
            )


class RevisionUploadForm(ShenbaoForm):
    file = forms.FileField(
        label="字段表或结构文件",
        help_text="上传修改后的字段表（.xlsx），或申报书结构文件（.yaml，供技术人员使用）。有错误的文件不会保存。",
        error_messages={"required": "请选择要上传的字段表（.xlsx）或结构文件（.yaml）。"},
    )
