"""A record the applicant may still edit moves to a newer revision of its call's schema and keeps every answer;
what no longer fits is reported, with where to correct it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import revisions
from applications.attachments import add_attachment
from applications.demo import demo_pdf
from applications.models import SchemaMove
from calls.models import SchemaRevision
from calls.schema.loader import digest_of
from tests import factories


def revision_of(call, source, number=2):
    return SchemaRevision.objects.create(call=call, number=number, source=source, digest=digest_of(source))


@pytest.fixture
def source(call):
    return call.current_revision.source


def without_field(source, key, lines):
    start = source.index(f"      - key: {key}\n")
    block = "".join(source[start:].splitlines(keepends=True)[:lines])
    return source.replace(block, "", 1)


def test_an_answer_the_new_revision_no_longer_asks_is_kept_and_reported(ready, call, source):
    newer = revision_of(call, without_field(source, "area", 5))
    area = ready.data["area"]

    move = revisions.move(ready, newer)

    assert (move.from_revision, move.to_revision) == (call.current_revision, newer)

    ready.refresh_from_db()
    assert ready.schema_revision == newer and ready.data["area"] == area
    [misfit] = move.misfits
    assert (misfit["cell"], misfit["section"], misfit["section_key"]) == ("area", "一、基本情况", "")
    assert misfit["value"] == area and misfit["reason"] == revisions.REMOVED


def test_an_answer_new_rules_refuse_is_kept_and_linked_to_its_field(ready, call, source):
    newer = revision_of(
        call, source.replace("max_chars: 200\n\n  - key: innovation", "max_chars: 10\n\n  - key: innovation")
    )

    [misfit] = revisions.move(ready, newer).misfits

    assert (misfit["cell"], misfit["section_key"]) == ("industry_chain", "industry")
    assert misfit["reason"].startswith("限10字以内")
    ready.refresh_from_db()
    assert len(ready.data["industry_chain"]) > 10


def test_an_answer_refused_already_before_is_not_a_new_misfit(ready, call, source):
    ready.data["industry_chain"] = "字" * 201
    ready.save()
    newer = revision_of(
        call, source.replace("max_chars: 200\n\n  - key: innovation", "max_chars: 150\n\n  - key: innovation")
    )
    assert revisions.move(ready, newer).misfits == []


def test_files_in_a_slot_the_new_revision_dropped_are_reported(ready, call, source):
    start = source.index("  - key: co2_formula_file\n")
    block = "".join(source[start:].splitlines(keepends=True)[:5])
    add_attachment(ready, "co2_formula_file", SimpleUploadedFile("公式.pdf", demo_pdf("x")), ready.created_by)
    newer = revision_of(call, source.replace(block, "", 1))

    [misfit] = revisions.move(ready, newer).misfits
    assert (misfit["cell"], misfit["value"], misfit["reason"]) == (
        "co2_formula_file",
        "1 个文件",
        revisions.SLOT_REMOVED,
    )


def test_a_new_field_is_listed_and_gets_its_default_as_in_a_new_application(draft, call, source):
    added = "      - key: area\n"
    extra = (
        "      - key: industrial_park\n        type: text\n        label: 所在园区\n"
        "        max_chars: 40\n        default: 无\n"
    )
    newer = revision_of(call, source.replace(added, extra + added, 1))
    before = draft.edit_version

    move = revisions.move(draft, newer)

    draft.refresh_from_db()
    assert move.added == [{"label": "所在园区", "section": "一、基本情况"}]
    assert draft.data["industrial_park"] == "无"
    assert draft.edit_version == before + 1 and draft.cell_versions["industrial_park"] == draft.edit_version


def test_a_record_waiting_for_its_bureau_is_not_moved(media, call, source):
    submitted = factories.submitted_application()
    newer = revision_of(call, source + "\n# 第二版\n")
    assert revisions.move(submitted, newer) is None
    submitted.refresh_from_db()
    assert submitted.schema_revision == call.current_revision
    assert not SchemaMove.objects.exists()


def test_moving_twice_to_the_same_revision_moves_once(draft, call, source):
    newer = revision_of(call, source + "\n# 第二版\n")
    assert revisions.move(draft, newer) is not None
    assert revisions.move(draft, newer) is None
    assert SchemaMove.objects.count() == 1


def test_the_preview_counts_what_publishing_would_move_without_moving(ready, draft, call, source):
    newer = revision_of(
        call, source.replace("max_chars: 200\n\n  - key: innovation", "max_chars: 10\n\n  - key: innovation")
    )
    assert revisions.preview(call, newer) == (1, 1)  # `ready` and `draft` are one organisation's one record
    ready.refresh_from_db()
    assert ready.schema_revision == call.current_revision
