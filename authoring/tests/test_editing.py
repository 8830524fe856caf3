"""Storing, publishing and withdrawing revisions: what the 自治区 does to a call's form, and what it refuses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from applications.models import Status
from audit.models import AuditEntry
from authoring import editing
from authoring.tests.conftest import (
    LABEL_2024,
    NEW_LABEL,
    edited,
    relabel_area,
    tighten_industry_chain,
    xlsx,
)
from calls.models import SchemaRevision
from notifications.models import Event, Notification
from tests import factories


def test_an_edited_fieldsheet_is_stored_as_the_next_revision_unpublished_and_audited(call, department, revision_2024):
    revision = editing.store_upload(call, xlsx(edited(revision_2024, relabel_area)), department)

    assert revision.number == 2 and not revision.is_published
    assert revision.schema_at(2024).fields["area"].label == NEW_LABEL
    call.refresh_from_db()
    assert call.current_revision == revision_2024  # applicants still answer the published one
    entry = AuditEntry.objects.get(action="schema_revision_create")
    assert entry.detail["number"] == 2 and entry.detail["digest"] == revision.digest
    assert entry.detail["origin"] == "上传字段表 字段表.xlsx"


def test_a_fieldsheet_with_errors_saves_nothing_and_names_the_sheet_and_row(call, department, revision_2024):
    def bad_type(sheet):
        sheet.set("字段", "字段代码", "area", "类型", "小树")

    with pytest.raises(editing.AuthoringRefused) as refused:
        editing.store_upload(call, xlsx(edited(revision_2024, bad_type)), department)

    [problem] = refused.value.problems
    assert problem.startswith("工作表“字段”第") and "（字段代码 area）" in problem and "小树" in problem
    assert call.revisions.count() == 1
    assert not AuditEntry.objects.filter(action="schema_revision_create").exists()


def test_a_yaml_error_names_its_line_and_saves_nothing(call, department, revision_2024):
    source = revision_2024.source.replace("key: area\n        type: decimal", "key: area\n        type: decimel")
    line = source[: source.index("- key: area")].count("\n") + 1

    with pytest.raises(editing.AuthoringRefused) as refused:
        editing.store_upload(call, SimpleUploadedFile("结构.yaml", source.encode()), department)

    assert f"第 {line} 行" in refused.value.problems[0] and "decimel" in refused.value.problems[0]
    assert call.revisions.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("结构.yaml", b"code: [", "YAML 格式错误"),
        ("结构.yaml", "code: x\n".encode("utf-16"), "UTF-8"),
        ("结构.txt", b"code: x", "请上传字段表（.xlsx）或申报书结构文件（.yaml）"),
        ("字段表.xlsx", b"not a zip", "不是Excel工作簿"),
        ("字段表.xlsx", b"", "是空的"),
    ],
)
def test_a_file_that_is_not_a_schema_is_refused_with_a_chinese_reason(call, department, name, content, message):
    with pytest.raises(editing.AuthoringRefused) as refused:
        editing.store_upload(call, SimpleUploadedFile(name, content), department)
    assert message in refused.value.problems[0]
    assert call.revisions.count() == 1


def test_the_same_text_again_is_not_a_new_revision(call, department, revision_2024):
    with pytest.raises(editing.AuthoringRefused, match="与已有的第 1 版内容完全相同"):
        editing.store(call, revision_2024.source, "再次上传", department)


def test_a_schema_that_names_no_title_field_is_refused(call, department, revision_2024):
    source = revision_2024.source.replace("        roles: [title]\n", "")
    with pytest.raises(editing.AuthoringRefused, match=r"须有一个字段的用途为“名称”（roles: \[title\]）"):
        editing.store(call, source, "上传", department)


@pytest.mark.parametrize("role", [Role.BUREAU, Role.APPLICANT, Role.EXPERT, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_only_the_department_stores_or_publishes(call, revision_2024, role):
    someone = factories.user(role)
    with pytest.raises(editing.AuthoringRefused):
        editing.store(call, revision_2024.source + "\n# 改\n", "上传", someone)
    with pytest.raises(editing.AuthoringRefused):
        editing.publish(revision_2024, someone)
    assert call.revisions.count() == 1


def test_publishing_makes_the_revision_current_and_moves_every_editable_record(call, department, revision_2024, media):
    draft = factories.application(call=call)
    returned = factories.submitted_application()
    factories.resubmit(returned, {}, reason="请核实。")  # a second version, then back to the 盟市
    returned.refresh_from_db()
    submitted = factories.submitted_application("150600")
    from reviews import initial_review

    initial_review.return_for_revision(returned, factories.user(Role.BUREAU, region_code="150200"), "请补充。")
    revision = editing.store_upload(call, xlsx(edited(revision_2024, relabel_area)), department)

    published = editing.publish(revision, department)

    call.refresh_from_db()
    assert call.current_revision == revision and published.revision.published_by == department
    moved = {m.application_id for m in published.moves}
    assert moved == {draft.pk, returned.pk}
    for app in (draft, returned, submitted):
        app.refresh_from_db()
    assert draft.schema_revision == revision and returned.schema_revision == revision
    assert submitted.schema_revision == revision_2024  # waiting for its 盟市: not the applicant's to edit
    assert [v.schema_revision_id for v in returned.versions.all()] == [revision_2024.pk] * 2
    assert returned.status == Status.RETURNED
    entry = AuditEntry.objects.get(action="schema_publish")
    assert entry.detail["moved"] == 2 and entry.detail["number"] == 2
    assert Notification.objects.filter(event=Event.SCHEMA_CHANGED, application=draft).exists()


def test_a_revision_not_newer_than_the_current_one_is_not_published_again(call, department, revision_2024):
    assert editing.publish_problems(call, revision_2024) == ["第 1 版不晚于当前的第 1 版，不能再次发布。"]
    with pytest.raises(editing.AuthoringRefused):
        editing.publish(revision_2024, department)


def test_an_unpublished_call_is_published_only_with_its_window_set(department, call):
    from authoring import copying

    new = copying.copy_call(call, department, year=2025, code="cluster-2025")
    first = new.revisions.get()
    assert editing.publish_problems(new, first) == ["发布前请先设置申报开始时间和截止时间。"]
    new.applicant_opens_at, new.applicant_closes_at = call.applicant_opens_at, call.applicant_closes_at
    new.save()

    published = editing.publish(first, department)

    new.refresh_from_db()
    assert published.opened and new.is_published and new.current_revision == first
    assert new.phase() == new.Phase.OPEN


def test_a_published_revision_is_never_edited_in_place(revision_2024):
    revision_2024.source = revision_2024.source + "\n# 改\n"
    with pytest.raises(ValueError, match="不可修改"):
        revision_2024.save()
    with pytest.raises(ValueError, match="不可删除"):
        revision_2024.delete()
    assert SchemaRevision.objects.get(pk=revision_2024.pk).digest == revision_2024.digest


def test_a_call_nobody_applied_to_may_be_unpublished_one_with_applications_may_not(call, department):
    editing.unpublish(call, department)
    call.refresh_from_db()
    assert not call.is_published
    assert AuditEntry.objects.get(action="call_change").detail["changes"] == {"is_published": False}
    call.is_published = True
    call.save()
    factories.application(call=call)
    with pytest.raises(editing.AuthoringRefused, match="已有申报单位填报本批次"):
        editing.unpublish(call, department)


def test_a_tightened_limit_is_reported_as_a_misfit_and_the_answer_is_kept(call, department, revision_2024, ready):
    text = ready.data["industry_chain"]
    revision = editing.store_upload(call, xlsx(edited(revision_2024, tighten_industry_chain)), department)

    [move] = editing.publish(revision, department).moves

    ready.refresh_from_db()
    assert ready.data["industry_chain"] == text  # kept, not cut
    [misfit] = move.misfits
    assert misfit["cell"] == "industry_chain" and misfit["reason"].startswith("限20字以内")
    assert LABEL_2024 not in [m["label"] for m in move.misfits]
