"""The forms of the officials' inbox and of 盟市初审: validated input, never raw request parameters.

What the workflow itself checks (state, scope, deadline, file content) stays in applications.workflow and
reviews.initial_review; these forms only turn a request into typed values and say, next to the field,
what is missing or malformed. The forms that take a POST are ShenbaoForms, which refuse a field sent twice;
the inbox filter (GET) keeps its own lenient rule: a wrong value is reported and the other filters apply.
"""

from pathlib import PurePosixPath

from django import forms
from django.http import QueryDict

from applications.attachments import FILE_TYPES, detect_type
from applications.models import Application, Status
from calls.models import Call
from reviews import countersign, files
from shenbao.lib.forms import ChineseFieldMessagesMixin, ShenbaoForm

LED, JOINED = "led", "joined"

# What a file's name claims it is, by extension; compared with what its content is.
CLAIMED_TYPES = {".pdf": "pdf", ".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".docx": "docx", ".xlsx": "xlsx"}


class InboxFilterForm(ChineseFieldMessagesMixin, forms.Form):
    tab = forms.ChoiceField(
        label="范围",
        required=False,
        choices=[(LED, "本盟市牵头"), (JOINED, "参与的跨盟市申报（查看、会签）")],
        error_messages={"invalid_choice": "没有这个范围，已显示本盟市牵头的申报。"},
    )
    status = forms.ChoiceField(
        label="状态",
        required=False,
        # Officials never see drafts (accounts.scoping), so a draft is not offered as a filter.
        choices=[("", "全部"), *[(status.value, status.label) for status in Status.official()]],
        error_messages={"invalid_choice": "没有这个状态，已显示全部状态。"},
    )
    call = forms.ModelChoiceField(
        Call.objects.published(),
        label="批次",
        required=False,
        empty_label="全部",
        error_messages={"invalid_choice": "没有这个批次，已显示全部批次。"},
    )
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "申报编号、名称或申报单位"}),
        error_messages={"max_length": "搜索内容不超过 %(limit_value)d 个字。"},
    )

    def __init__(self, data, *, bureau=False):
        super().__init__(data)
        if bureau:
            self.fields["tab"].widget = forms.HiddenInput()
        else:
            del self.fields["tab"]  # the 自治区 sees every application; there is nothing to split
        self.is_valid()  # a wrong value is reported next to its field; the other filters still apply

    def value(self, name):
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None

    @property
    def tab_chosen(self):
        return self.value("tab") or LED

    def filter(self, applications):
        """`applications` (already scoped to the user) narrowed to the chosen state, call and search text."""
        if self.value("status"):
            applications = applications.filter(status=self.value("status"))
        if self.value("call"):
            applications = applications.filter(call=self.value("call"))
        text = (self.value("q") or "").strip()
        if text:
            # Each of the three searched columns asked on its own (each has its trigram index on PostgreSQL:
            # migrations *_search_*), the matches united, then kept within `applications`: an OR across
            # three joined tables could use none of them and read every application (issue 23).
            matching = (
                Application.objects.filter(number__icontains=text)
                .order_by()
                .values("pk")
                .union(
                    Application.objects.filter(submitted_figures__title__icontains=text).order_by().values("pk"),
                    Application.objects.filter(organisation__name__icontains=text).order_by().values("pk"),
                )
            )
            applications = applications.filter(pk__in=matching)
        return applications

    def query(self, **changes):
        """The chosen filters as a query string (for pagination and tabs), with `changes` applied."""
        params = QueryDict(mutable=True)
        chosen = {
            "tab": self.value("tab") or "",
            "status": self.value("status") or "",
            "call": self.value("call").pk if self.value("call") else "",
            "q": (self.value("q") or "").strip(),
        }
        chosen.update(changes)
        for key, value in chosen.items():
            if value and key in self.fields:
                params[key] = value
        return params.urlencode()


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (现场照片), as a list; none chosen is an empty list."""

    def clean(self, data, initial=None):
        chosen = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(d, initial) for d in chosen]


class SiteVisitForm(ShenbaoForm):
    visited_on = forms.DateField(
        label="核实日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写核实日期。", "invalid": "请按“年-月-日”填写核实日期，例如 2024-06-18。"},
    )
    people = forms.CharField(
        label="核实人员",
        max_length=200,
        help_text="参加实地核实的人员姓名及职务，多人用顿号分隔。",
        error_messages={"required": "请填写核实人员。", "max_length": "核实人员不超过 %(limit_value)d 个字。"},
    )
    findings = forms.CharField(
        label="核实情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="现场核实的集群规模、主要指标和佐证材料是否属实，发现的问题。",
        error_messages={"required": "请填写核实情况。", "max_length": "核实情况不超过 %(limit_value)d 个字。"},
    )
    photos = MultipleFileField(
        label="现场照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
        help_text="JPG 或 PNG，可一次选择多张，最多 10 张。提交未成功时请重新选择照片。",
    )

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        for photo in photos:
            name_matches_content(photo, files.PHOTO_TYPES)
        return photos


class ReturnForm(ShenbaoForm):
    reason = forms.CharField(
        label="退回理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写明需要修改或补充的内容，申报单位将看到这段文字。",
        error_messages={"required": "请填写退回理由。", "max_length": "退回理由不超过 %(limit_value)d 个字。"},
    )


class RecommendForm(ShenbaoForm):
    opinion = forms.CharField(
        label="推荐意见",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写推荐意见。", "max_length": "推荐意见不超过 %(limit_value)d 个字。"},
    )
    sealed_file = forms.FileField(
        label="盖章的推荐文件",
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text="加盖本单位公章的推荐文件扫描件，PDF、JPG 或 PNG。提交未成功时请重新选择文件。",
        error_messages={"required": "请上传盖章的推荐文件。"},
    )

    def clean_sealed_file(self):
        sealed = self.cleaned_data["sealed_file"]
        name_matches_content(sealed, files.SEALED_TYPES)
        return sealed


class CountersignForm(ShenbaoForm):
    """会签: 同意 or 不同意 and the opinion, 字数 counted as the guide counts them (reviews/countersign.py)."""

    AGREE, DISAGREE = "agree", "disagree"
    verdict = forms.ChoiceField(
        label="会签结论",
        choices=[(AGREE, "同意"), (DISAGREE, "不同意")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择同意或不同意。", "invalid_choice": "请选择同意或不同意。"},
    )
    opinion = forms.CharField(
        label="会签意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"本盟市对该集群的意见，不超过 {countersign.OPINION_MAX_CHARS} 字（空格不计）。提交后不能修改。",
        error_messages={"required": "请填写会签意见。"},
    )

    def clean_opinion(self):
        problem = countersign.opinion_problem(self.cleaned_data["opinion"])
        if problem:
            raise forms.ValidationError(problem)
        return self.cleaned_data["opinion"]

    @property
    def agrees(self):
        return self.cleaned_data["verdict"] == self.AGREE


def name_matches_content(uploaded_file, accepted):
    """Refuse a file whose name claims one accepted type while its content is another (a renamed photo).

    Downloads are offered under the uploaded name, so a PNG called 推荐文件.pdf would not open as a PDF.
    Content that is no accepted type at all is left to reviews.files, which names what it really is.
    """
    claimed = CLAIMED_TYPES.get(PurePosixPath(uploaded_file.name or "").suffix.lower())
    actual = detect_type(uploaded_file)
    if claimed and actual in accepted and claimed != actual:
        raise forms.ValidationError(
            f"“{uploaded_file.name}”的扩展名表明是{FILE_TYPES[claimed].name}，内容实际是{FILE_TYPES[actual].name}。"
            f"请上传真实的{FILE_TYPES[claimed].name}（仅修改扩展名无效）。"
        )
