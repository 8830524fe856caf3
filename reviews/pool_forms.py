"""Forms of the 专家库: one expert (also used for each row of an Excel import, so a row is checked by the
same rules as the page), the list's filters, the import upload, the pause reason."""

import re

from django import forms
from django.core.exceptions import ValidationError

from accounts.validators import normalise_credit_code, validate_credit_code, validate_mobile
from calls.expertise import FIELDS as EXPERTISE_FIELDS
from regions.models import Region
from reviews.models import ExpertProfile
from reviews.pool import Entry
from shenbao.lib.forms import ChineseFieldMessagesMixin, ShenbaoForm

TIES_HELP = "每行一个单位：统一社会信用代码，空格，单位名称。如任职、兼职、持股或近三年有合作的单位。"
MAX_TIES = 30


def parse_ties(text):
    """[(credit code, name)] from the typed lines; a ValidationError names each wrong line."""
    ties, problems, seen = [], [], set()
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for number, line in enumerate(lines, 1):
        parts = re.split(r"[\s,，;；]+", line, maxsplit=1)
        code = normalise_credit_code(parts[0])
        name = parts[1].strip() if len(parts) > 1 else ""
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            problems.append(f"关联单位第 {number} 行：{exc.messages[0]}")
            continue
        if not name:
            problems.append(f"关联单位第 {number} 行：请在信用代码后写单位名称。")
        elif len(name) > 100:
            problems.append(f"关联单位第 {number} 行：单位名称不超过 100 字。")
        elif code not in seen:
            seen.add(code)
            ties.append((code, name))
    if len(lines) > MAX_TIES:
        problems.append(f"关联单位不超过 {MAX_TIES} 个。")
    if problems:
        raise ValidationError(problems)
    return ties


def ties_text(profile):
    return "\n".join(f"{t.credit_code} {t.name}" for t in profile.ties.all()) if profile else ""


class ExpertForm(ShenbaoForm):
    full_name = forms.CharField(label="姓名", max_length=30)
    affiliation = forms.CharField(label="工作单位", max_length=100, help_text="与申报单位同单位的专家按规则回避。")
    region = forms.ModelChoiceField(
        label="所在盟市",
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label="自治区本级或区外",
        help_text="与申报的牵头或参与盟市相同的专家按规则回避。",
    )
    title = forms.CharField(label="职称", max_length=30, help_text="如 正高级工程师、教授、高级会计师。")
    expertise = forms.MultipleChoiceField(
        label="专业领域", choices=EXPERTISE_FIELDS, widget=forms.CheckboxSelectMultiple
    )
    mobile = forms.CharField(
        label="手机号码", max_length=11, validators=[validate_mobile], help_text="新专家以手机号码为登录名。"
    )
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    status = forms.ChoiceField(
        label="状态", choices=ExpertProfile.Status.choices, initial=ExpertProfile.Status.AVAILABLE
    )
    ties = forms.CharField(
        label="关联单位", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), help_text=TIES_HELP
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].error_messages["required"] = "请至少选择一个专业领域。"
        self.fields["region"].error_messages["invalid_choice"] = "请从列表中选择盟市。"

    @classmethod
    def initial_for(cls, expert):
        profile = getattr(expert, "expert_profile", None)
        return {
            "full_name": expert.full_name,
            "affiliation": expert.affiliation,
            "region": expert.region_id,
            "title": profile.title if profile else "",
            "expertise": profile.fields if profile else [],
            "mobile": expert.mobile,
            "email": expert.email,
            "status": profile.status if profile else ExpertProfile.Status.AVAILABLE,
            "ties": ties_text(profile),
            "note": profile.note if profile else "",
        }

    def clean_ties(self):
        return parse_ties(self.cleaned_data.get("ties"))

    def entry(self):
        data = self.cleaned_data
        return Entry(
            full_name=data["full_name"].strip(),
            affiliation=data["affiliation"].strip(),
            region=data["region"],
            title=data["title"].strip(),
            fields=list(data["expertise"]),
            mobile=data["mobile"],
            email=data.get("email") or "",
            status=data["status"],
            ties=data["ties"],
            note=(data.get("note") or "").strip(),
        )


STATUS_FILTERS = (("", "全部状态"), *ExpertProfile.Status.choices)


class PoolFilterForm(ChineseFieldMessagesMixin, forms.Form):
    q = forms.CharField(label="姓名、单位或职称", required=False, max_length=50)
    field = forms.ChoiceField(label="专业领域", required=False, choices=(("", "全部领域"), *EXPERTISE_FIELDS))
    region = forms.ModelChoiceField(
        label="所在盟市", required=False, queryset=Region.objects.order_by("code"), empty_label="全部盟市"
    )
    status = forms.ChoiceField(label="状态", required=False, choices=STATUS_FILTERS)


class ImportForm(ShenbaoForm):
    file = forms.FileField(label="专家库 Excel 文件（.xlsx）", help_text="先导出专家库或下载空白模板，按列填写后上传。")


class PauseForm(ShenbaoForm):
    reason = forms.CharField(label="暂停原因", max_length=150)
