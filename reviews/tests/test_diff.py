"""reviews.diff: what changed between the version a reviewer returned and the one resubmitted since."""

import pytest

from applications import submission
from applications.attachments import add_attachment, replace_attachment
from reviews import diff, initial_review
from tests import factories

pytestmark = pytest.mark.usefixtures("db", "media")


def returned(bureau):
    """A complete application submitted as 第1版 and returned for revision by its 盟市."""
    app = factories.submitted_application()
    initial_review.return_for_revision(app, bureau, "请核实2023年产值")
    app.refresh_from_db()
    return app


def resubmit(app, **changes):
    app.data.update(changes)
    app.save()
    submission.submit(app, app.created_by, revision_note="已按退回意见修改。")
    app.refresh_from_db()
    return app


def fields_changed(app, old=1, new=2):
    groups = diff.compare(app.versions.get(number=old), app.versions.get(number=new))
    return {change.label: (heading, change) for heading, changes in groups for change in changes}


def files_changed(app, old=1, new=2):
    return diff.compare_attachments(app.versions.get(number=old), app.versions.get(number=new))


def test_a_changed_figure_is_reported_with_both_values_under_its_section(bureau):
    app = resubmit(returned(bureau), output__2023="1500.00")

    heading, change = fields_changed(app)["2023年集群总产值（亿元）"]

    assert heading == "二、主导产业情况"
    assert (change.old_text, change.new_text) == ("1402.60", "1500.00")


def test_a_label_that_spells_its_unit_out_is_not_given_the_unit_again(bureau):
    """The guide writes 单位产值二氧化碳排放量（吨二氧化碳/万元）; the schema's unit is 吨/万元."""
    app = resubmit(returned(bureau), co2_intensity__2023="0.95")

    assert "2023年单位产值二氧化碳排放量（吨二氧化碳/万元）" in fields_changed(app)


def test_unchanged_fields_are_not_listed(bureau):
    app = resubmit(returned(bureau), output__2023="1500.00")

    assert list(fields_changed(app)) == ["2023年集群总产值（亿元）"]


def test_nothing_is_listed_when_the_resubmission_changed_nothing(bureau):
    app = resubmit(returned(bureau))

    assert fields_changed(app) == {}
    assert files_changed(app) == []


def test_a_choice_is_shown_as_ticked_boxes(bureau):
    app = resubmit(returned(bureau), water_efficiency="是")

    _, change = fields_changed(app)["属于高用水行业的集群，水效水平高于行业基准值"]

    assert change.old_text == "☐是    ☐否    ☑不涉及"
    assert change.new_text == "☑是    ☐否    ☐不涉及"


def test_participating_regions_are_shown_by_name(bureau):
    app = resubmit(returned(bureau), participating_regions=["150300"])

    _, change = fields_changed(app)["参与盟市（跨盟市联合培育集群填写）"]

    assert (change.old_text, change.new_text) == ("（空）", "乌海市")


def test_a_cell_one_version_lacks_shows_as_empty(bureau):
    app = resubmit(returned(bureau), contact_person="王建国")
    # As if 第1版 had answered an earlier edition of the schema that had no 联系人 on the cover.
    first = app.versions.filter(number=1)
    first.update(data={k: v for k, v in first.get().data.items() if k != "contact_person"})

    _, change = fields_changed(app)["联系人"]

    assert (change.old_text, change.new_text) == ("（空）", "王建国")


def test_a_rewritten_passage_in_a_long_text_is_marked_on_both_sides(bureau):
    app = returned(bureau)
    text = app.data["industry_chain"]
    app = resubmit(app, industry_chain=text.replace("五条产业链", "六条产业链"))

    _, change = fields_changed(app)["集群产业链培育和招商情况（200字以内）"]

    assert change.long
    assert (change.old_text, change.new_text) == (text, text.replace("五条产业链", "六条产业链"))
    assert [t for changed, t in change.old_marks if changed] == ["五"]
    assert [t for changed, t in change.new_marks if changed] == ["六"]
    assert "".join(t for _, t in change.new_marks) == change.new_text


def test_marks_fold_short_common_runs_into_one_change():
    old, new = diff.marks("集群实行链长制，效果好。", "集群推行专班制，效果好。")

    assert old == ((False, "集群"), (True, "实行链长"), (False, "制，效果好。"))
    assert new == ((False, "集群"), (True, "推行专班"), (False, "制，效果好。"))


def test_an_added_attachment_is_reported_with_its_slot_name_and_hash(bureau):
    app = returned(bureau)
    added = add_attachment(app, "other_evidence", factories.upload("补充说明.pdf"), app.created_by)
    app = resubmit(app)

    [change] = files_changed(app)

    assert (change.kind, change.slot_label, change.old) == ("added", "其他佐证材料", None)
    assert change.new.name == "补充说明.pdf"
    assert change.new.short_sha == added.sha256[:16].upper()


def test_a_removed_attachment_is_reported(bureau):
    app = returned(bureau)
    add_attachment(app, "other_evidence", factories.upload("补充说明.pdf"), app.created_by)
    app = resubmit(app)

    [change] = files_changed(app, old=2, new=1)  # read from 第2版 back to 第1版, the file is gone

    assert (change.kind, change.slot_label, change.new) == ("removed", "其他佐证材料", None)
    assert change.old.name == "补充说明.pdf"


def test_a_replaced_attachment_is_reported_with_the_old_and_the_new_file(bureau):
    app = returned(bureau)
    scan = app.attachments.active().get(slot="commitment_scan")
    replace_attachment(scan, factories.upload("承诺书（重新盖章）.pdf"), app.created_by)
    app = resubmit(app)

    [change] = files_changed(app)

    assert (change.kind, change.slot_label) == ("replaced", "承诺书（法定代表人签字、申报单位盖章）扫描件")
    assert (change.old.name, change.new.name) == (scan.original_name, "承诺书（重新盖章）.pdf")
    assert change.old.sha256 == scan.sha256 != change.new.sha256


def test_changed_since_return_is_the_returned_version_and_the_resubmitted_one(bureau):
    app = resubmit(returned(bureau), output__2023="1500.00")

    old, new = diff.changed_since_return(app)

    assert (old.number, new.number) == (1, 2)


def test_changed_since_return_is_none_before_the_resubmission(bureau):
    assert diff.changed_since_return(returned(bureau)) is None


def test_changed_since_return_is_none_for_an_application_never_returned():
    assert diff.changed_since_return(factories.submitted_application()) is None


def test_a_withdrawal_after_resubmitting_does_not_move_the_returned_version(bureau):
    app = resubmit(returned(bureau), output__2023="1500.00")
    submission.withdraw(app, app.created_by)  # back to 退回修改, but the 盟市 returned 第1版
    app.refresh_from_db()
    app = resubmit(app, output__2023="1510.00")

    old, new = diff.changed_since_return(app)

    assert (old.number, new.number) == (1, 3)


def test_a_comparison_across_two_returns_lists_both_with_who_returned_and_why(bureau):
    app = resubmit(returned(bureau), output__2023="1500.00")
    initial_review.return_for_revision(app, bureau, "请补充盖章页")
    app.refresh_from_db()
    app = resubmit(app)

    found = diff.comparison(app, app.versions.get(number=1), app.versions.get(number=3))

    assert [(t.version.number, t.reason, office) for t, office in found.returns] == [
        (1, "请核实2023年产值", "包头市工业和信息化局"),
        (2, "请补充盖章页", "包头市工业和信息化局"),
    ]
    assert found.field_count == 1 and not found.unchanged
