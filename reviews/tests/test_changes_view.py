"""The 修改对比 page: the officials who review an application see what changed since they returned it."""

import pytest
from django.urls import reverse

from accounts.models import Role
from applications import submission
from applications.attachments import replace_attachment
from reviews import initial_review
from tests import factories

pytestmark = pytest.mark.usefixtures("db", "media")

NOTE = "已核实2023年产值为1500万元，并重新盖章上传承诺书。"


@pytest.fixture
def resubmitted(bureau):
    """Returned by 包头 with a reason, then resubmitted as 第2版 with a new figure and a re-sealed scan."""
    app = factories.submitted_application()
    initial_review.return_for_revision(app, bureau, "请核实2023年产值")
    app.refresh_from_db()
    app.data["output__2023"] = "1500.00"
    app.save()
    scan = app.attachments.active().get(slot="commitment_scan")
    replace_attachment(scan, factories.upload("承诺书（重新盖章）.pdf"), app.created_by)
    submission.submit(app, app.created_by, revision_note=NOTE)
    app.refresh_from_db()
    return app


def page(client, user, app, query=""):
    client.force_login(user)
    return client.get(reverse("reviews:changes", args=[app.pk]) + query)


def test_the_lead_bureau_sees_each_change_from_the_returned_version_to_the_new_one(client, bureau, resubmitted):
    response = page(client, bureau, resubmitted)

    text = response.content.decode()
    assert response.status_code == 200
    assert "第 1 版 → 第 2 版的修改" in text
    assert "请核实2023年产值" in text
    assert "2023年集群总产值（亿元）" in text
    assert text.index("1402.60") < text.index("1500.00")
    assert "承诺书（重新盖章）.pdf" in text and "替换" in text
    assert "集群名称" not in text.split("修改概况")[1]  # unchanged fields are not listed


def test_the_region_sees_the_changes_too(client, resubmitted):
    response = page(client, factories.user(Role.DEPARTMENT), resubmitted)

    assert response.status_code == 200
    assert "1500.00" in response.content.decode()


def test_another_bureau_gets_not_found(client, resubmitted):
    wuhai = factories.user(Role.BUREAU, region_code="150300")

    assert page(client, wuhai, resubmitted).status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT])
def test_applicants_and_experts_get_not_found(client, resubmitted, role):
    user = resubmitted.created_by if role == Role.APPLICANT else factories.user(Role.EXPERT)

    assert page(client, user, resubmitted).status_code == 404


@pytest.mark.parametrize("query", ["?from=abc", "?to=999", "?from=1&to=1", "?from=99999999999999999999&to=-1"])
def test_unusable_version_numbers_show_the_changes_since_the_return(client, bureau, resubmitted, query):
    response = page(client, bureau, resubmitted, query)

    text = response.content.decode()
    assert response.status_code == 200
    assert "所选版本不存在或无法对比" in text
    assert "第 1 版 → 第 2 版的修改" in text and "1500.00" in text


def test_versions_asked_for_in_either_order_are_read_oldest_first(client, bureau, resubmitted):
    response = page(client, bureau, resubmitted, "?from=2&to=1")

    text = response.content.decode()
    assert "所选版本不存在" not in text
    assert "第 1 版 → 第 2 版的修改" in text


def test_a_resubmission_without_changes_says_so(client, bureau):
    app = factories.submitted_application()
    initial_review.return_for_revision(app, bureau, "请补充盖章")
    app.refresh_from_db()
    submission.submit(app, app.created_by, revision_note="已按退回意见修改。")

    text = page(client, bureau, app).content.decode()

    assert "无修改" in text
    assert "修改前（第 1 版）" not in text


def test_an_application_with_one_version_has_nothing_to_compare(client, bureau):
    app = factories.submitted_application()

    response = page(client, bureau, app)

    assert response.status_code == 200
    assert "暂无可对比的修改" in response.content.decode()


def test_the_revision_note_is_shown_beside_the_return_it_answers(client, bureau, resubmitted):
    html = page(client, bureau, resubmitted).content.decode()
    reason, note = html.index("请核实2023年产值"), html.index(NOTE)
    assert reason < note < html.index("修改情况")  # in the summary above the changed fields
    assert "<dt>修改说明</dt>" in html and 'class="diff-note"' in html


def test_the_revision_note_is_in_the_review_history(client, bureau, resubmitted):
    client.force_login(bureau)
    page = client.get(reverse("reviews:detail", args=[resubmitted.pk])).content.decode()
    assert f"<strong>修改说明：</strong>{NOTE}" in page
