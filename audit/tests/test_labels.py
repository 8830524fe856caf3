"""One rule names an entry's object (audit.log.object_label): a model's `audit_label` — a 申报编号, a credit
code, a code, a username — else its kind and id; never str(obj), which for an application is its cluster's
name and for an attachment its file name. The pages show the object's type and the detail's keys in Chinese."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from applications.models import Application
from audit.log import detail_label, detail_value, object_label, object_type_label, record
from calls.models import Call
from regions.models import Region
from security.models import SecurityPolicy
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_application_is_named_by_its_number_never_its_cluster(media, call):
    title = Call.objects.get(code="cluster-2024").schema.role("title").key
    app = factories.submitted_application("150200", data={title: "绝密稀土新材料集群"})
    assert "绝密稀土新材料集群" in str(app)  # what the label must not be
    entry = record("view", obj=app)
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "application",
        str(app.pk),
        f"申报书 {app.number}",
    )


def test_an_application_without_a_number_is_named_by_its_id(draft):
    unsaved_number = Application(pk=draft.pk, number="")
    assert object_label(unsaved_number) == f"申报书 #{draft.pk}（未提交）"


def test_an_attachment_is_named_by_its_id_and_application_never_its_file_name(media, call):
    app = factories.submitted_application("150200")
    attachment = app.attachments.first()
    assert str(attachment) == attachment.original_name
    assert object_label(attachment) == f"附件 #{attachment.pk}（申报书 {app.number}）"
    assert object_label(app.latest_version) == f"申报书 {app.number} 第1版"


def test_organisations_accounts_calls_regions_and_revisions_by_their_codes(applicant):
    organisation = applicant.organisation
    assert object_label(organisation) == organisation.credit_code != organisation.name
    assert object_label(applicant) == applicant.username
    call = Call.objects.get(code="cluster-2024")
    assert object_label(call) == "cluster-2024"
    assert object_label(call.current_revision) == f"cluster-2024 第{call.current_revision.number}版"
    assert object_label(Region.objects.get(code="150200")) == "150200"


def test_a_model_without_a_label_is_named_by_its_kind_and_id():
    policy = SecurityPolicy(pk=1)
    assert object_label(policy) == "安全策略 #1"


def test_a_caller_cannot_name_an_object_another_way(applicant):
    with pytest.raises(ValueError, match="object_label"):
        record("view", obj=applicant.organisation, object_repr=applicant.organisation.name)


def test_labels_and_values_for_the_pages():
    assert (object_type_label("expertreview"), object_type_label("attachment")) == ("专家评审", "附件")
    assert object_type_label("something_new") == "something_new"
    assert (detail_label("number"), detail_label("reason_chars"), detail_label("x_y")) == (
        "申报编号",
        "理由字数",
        "x_y",
    )
    assert (detail_value(True), detail_value(False), detail_value(None)) == ("是", "否", "—")
    assert (detail_value(["name", "address"]), detail_value([]), detail_value(37)) == ("name、address", "—", 37)
    # A refusal's kind is a code shown with its label; the same word under another key is left as it is.
    assert detail_value("out_of_scope", "refusal") == "越权访问（对象不在权限范围内）"
    assert (detail_value("out_of_scope", "code"), detail_value("unknown", "refusal")) == ("out_of_scope", "unknown")


def test_the_pages_show_the_type_and_the_detail_in_chinese(client, media, call):
    app = factories.submitted_application("150200")
    entry = record("view", obj=app, detail={"number": app.number, "conflict": False, "changed_fields": ["name"]})
    client.force_login(factories.user(Role.AUDIT_ADMIN))
    listed = client.get(reverse("audit:list")).content.decode()
    assert "<th>对象类型</th>" in listed and "<td>申报书</td>" in listed and f"申报书 {app.number}" in listed
    page = client.get(reverse("audit:detail", args=[entry.seq])).content.decode()
    assert "<dt>对象类型</dt><dd>申报书</dd>" in page
    assert f'申报编号（<span class="mono">number</span>）：{app.number}' in page
    assert '存在利益冲突（<span class="mono">conflict</span>）：否' in page
    assert '修改的字段（<span class="mono">changed_fields</span>）：name' in page
    response = client.get(reverse("audit:export"), {"action": "view"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == entry.seq)
    assert (row[7], row[9]) == ("申报书", f"申报书 {app.number}")
    assert row[11] == f"修改的字段=name；存在利益冲突=否；申报编号={app.number}"
