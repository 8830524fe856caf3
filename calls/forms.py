"""The 系统管理员's form for a call: whether it is published and its 申报 window. What the call
asks for comes from its schema (calls/schemas/), so it is not edited here."""

from django import forms

from accounts.forms import ShenbaoModelForm
from calls import deadlines
from calls.models import Call

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends, in Asia/Shanghai time


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": f"{label}：请填写有效的日期和时间。"},
    )


class CallWindowForm(ShenbaoModelForm):
    applicant_opens_at = _datetime_field("申报开始时间")
    applicant_closes_at = _datetime_field("申报截止时间")

    class Meta:
        model = Call
        fields = ["is_published", "applicant_opens_at", "applicant_closes_at"]
        labels = {"is_published": "发布（申报单位可见）"}

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("applicant_opens_at"), cleaned.get("applicant_closes_at")
        if cleaned.get("is_published"):
            if opens is None and "applicant_opens_at" not in self.errors:
                self.add_error("applicant_opens_at", "发布前请填写申报开始时间。")
            if closes is None and "applicant_closes_at" not in self.errors:
                self.add_error("applicant_closes_at", "发布前请填写申报截止时间。")
        if opens and closes and closes <= opens:
            self.add_error("applicant_closes_at", "申报截止时间须晚于申报开始时间。")
        self._keep_what_applicants_rely_on(cleaned)
        recommend = self.instance.recommend_deadline
        if closes and recommend and closes > recommend:
            self.add_error(
                "applicant_closes_at",
                f"申报截止时间不能晚于盟市推荐截止时间（{deadlines.format_time(recommend)}）；"
                "如需延后，请先由自治区工业和信息化厅调整批次时间安排。",
            )
        return cleaned

    def _keep_what_applicants_rely_on(self, cleaned):
        """Once 申报单位 have started applications, the call may not be hidden from them, nor may its
        window open later than it did (their drafts would be locked out)."""
        if not self.instance.pk or not self.instance.applications.exists():
            return
        if self.instance.is_published and "is_published" in cleaned and not cleaned["is_published"]:
            self.add_error("is_published", "已有申报单位填报本批次，不能取消发布。")
        opens, before = cleaned.get("applicant_opens_at"), self.instance.applicant_opens_at
        if opens and before and opens > before:
            self.add_error(
                "applicant_opens_at",
                f"已有申报单位填报本批次，申报开始时间不能晚于原定的 {deadlines.format_time(before)}。",
            )
