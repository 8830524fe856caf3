"""The forms of 公示 and 异议: the public 异议 form (portal) and the 自治区's answer to one.

The public form is 实名: name, 单位, phone and the text (字数 counted as the guide counts), and an optional
file checked as every upload is (applications.attachments.check_file: recognised by content, no macros,
scripts or embedded files, within the policy's size). Nothing typed is lost when one field is wrong.
"""

import re
from types import SimpleNamespace

from django import forms

from applications.attachments import AttachmentRejected, accepted_types, check_file
from calls.schema.values import clean_text, over_limit
from reviews import objections
from reviews.models import Objection
from shenbao.lib.forms import ShenbaoForm

# A mobile (1[3-9] and 9 digits) or a landline with its area code (0471-1234567, extension allowed).
PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?")
ATTACHMENT_SLOT = SimpleNamespace(label="附件", types=objections.FILE_TYPES_ACCEPTED)


class ObjectionForm(ShenbaoForm):
    name = forms.CharField(label="姓名", max_length=30, error_messages={"required": "请填写您的真实姓名（实名提出）。"})
    organisation = forms.CharField(
        label="工作单位",
        max_length=100,
        help_text="以单位名义提出的，填写单位全称；以个人名义提出的，填写工作单位或“个人”。",
        error_messages={"required": "请填写工作单位；以个人名义提出的请填写“个人”。"},
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        help_text="手机号码或带区号的固定电话，用于核实异议。",
        error_messages={"required": "请填写联系电话，以便核实异议。"},
    )
    content = forms.CharField(
        label="异议内容",
        widget=forms.Textarea(attrs={"rows": 8, "data-max-chars": objections.CONTENT_MAX_CHARS}),
        help_text=f"请写明异议的事实和理由，不超过 {objections.CONTENT_MAX_CHARS} 字。",
        error_messages={"required": "请填写异议的事实和理由。"},
    )
    attachment = forms.FileField(
        label="证明材料（可选）",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
        help_text=f"{accepted_types(ATTACHMENT_SLOT)}，一个文件。提交未成功时请重新选择文件。",
    )

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_organisation(self):
        return clean_text(self.cleaned_data["organisation"])

    def clean_phone(self):
        phone = clean_text(self.cleaned_data["phone"]).replace(" ", "")
        if not PHONE.fullmatch(phone):
            raise forms.ValidationError(
                "联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话，如 0471-1234567。"
            )
        return phone

    def clean_content(self):
        content = clean_text(self.cleaned_data["content"])
        if problem := over_limit("异议内容", content, objections.CONTENT_MAX_CHARS):
            raise forms.ValidationError(problem)
        if not content:
            raise forms.ValidationError("请填写异议的事实和理由。")
        return content

    def clean_attachment(self):
        uploaded = self.cleaned_data.get("attachment")
        self.attachment_type = ""
        if uploaded:
            try:
                self.attachment_type = check_file(ATTACHMENT_SLOT, uploaded)
            except AttachmentRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return uploaded


class AnswerForm(ShenbaoForm):
    """The 自治区's answer to one objection."""

    result = forms.ChoiceField(
        label="核实结果",
        choices=Objection.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核实结果：成立或不成立。"},
    )
    response = forms.CharField(
        label="处理意见",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"核实情况和处理意见，不超过 {objections.RESPONSE_MAX_CHARS} 字；异议人以电话或书面方式告知。",
        error_messages={"required": "请填写处理意见。"},
    )

    def clean_response(self):
        response = clean_text(self.cleaned_data["response"])
        if problem := over_limit("处理意见", response, objections.RESPONSE_MAX_CHARS):
            raise forms.ValidationError(problem)
        return response


class RevokeForm(ShenbaoForm):
    """异议成立，不予支持: the reason the applicant and its 盟市 are told."""

    reason = forms.CharField(
        label="不予支持理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="申报单位和牵头盟市将看到此理由。",
        error_messages={"required": "请填写不予支持的理由。", "max_length": "不予支持理由不超过 1000 字。"},
    )
