"""The section editor: every guide label on the page, the no-JS save, and what autosave answers."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from applications.models import Application
from tests import factories
from tests.application_data import complete_data

GUIDE = Path(__file__).resolve().parents[2] / "calls" / "guides" / "2024-cluster-guide.txt"


def section_url(app, key):
    return reverse("applications:section", args=[app.pk, key])


def autosave(client, app, changes, version=None, force=()):
    response = client.post(
        reverse("applications:autosave", args=[app.pk]),
        data=json.dumps({"version": app.edit_version if version is None else version, "changes": changes,
                         "force": list(force)}),
        content_type="application/json",
    )  # fmt: skip
    is_json = response.get("Content-Type", "").startswith("application/json")
    return response, response.json() if is_json else None


@pytest.fixture
def signed_in(client, applicant, draft):
    client.force_login(applicant)
    return client


def guide_table_labels():
    """Every row label of the guide's tables 一 to 七, as printed in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    body = text[text.index("一、基本情况") : text.index("七、未来三年先进制造业集群发展规划")]
    labels = set()
    for line in body.splitlines():
        line = line.strip().replace("\u3000", "")
        if not line or line.startswith(("□", "(", "（注", "数量", "名称", "类别")) or re.fullmatch(r"[\d年\s]+", line):
            continue
        if line in {"国际", "国家", "行业", "团体", "主持数量", "参与数量", "年度", "个", "（需提供清单）"}:
            continue
        labels.add(re.sub(r"\s+", "", line).rstrip("："))
    return labels


def test_every_label_in_the_guide_tables_appears_in_the_form(signed_in, draft):
    schema = draft.call.schema
    pages = "".join(
        re.sub(r"\s+", "", signed_in.get(section_url(draft, key)).content.decode())
        for key in schema.section_keys
        if key != "attachments"
    )
    pages = pages.replace("（200字以内）", "").replace("（3000字以内）", "")
    missing = [
        label
        for label in guide_table_labels()
        if label.replace("（200字以内）", "").replace("（3000字以内）", "") not in pages
    ]
    assert missing == []


def test_every_section_renders_for_the_applicant(signed_in, draft):
    for key in draft.call.schema.section_keys:
        response = signed_in.get(section_url(draft, key), follow=True)
        assert response.status_code == 200, key
        assert draft.call.schema.section_title(key) in response.content.decode(), key


def test_another_organisations_application_is_not_found(client, draft):
    other = factories.user(factories.Role.APPLICANT)
    client.force_login(other)
    assert client.get(section_url(draft, "industry")).status_code == 404
    response, _ = autosave(client, draft, {"area": "1.00"})
    assert response.status_code == 404


def test_autosave_stores_the_canonical_decimal_and_answers_with_errors(signed_in, draft):
    response, body = autosave(signed_in, draft, {"output__2021": "12.5", "output__2022": "12.345"})
    assert response.status_code == 200
    assert body["values"] == {"output__2021": "12.50", "output__2022": "12.345"}
    assert "有3位小数" in body["errors"]["output__2022"]
    assert body["sections"]["industry"] == {"status": "error", "label": "有错误"}
    draft.refresh_from_db()
    assert draft.data["output__2021"] == "12.50"
    assert draft.edit_version == 1


def test_a_stale_page_saving_a_cell_changed_elsewhere_gets_a_conflict_and_nothing_is_saved(signed_in, draft):
    autosave(signed_in, draft, {"industry_chain": "第一个标签页写的内容"}, version=0)
    response, body = autosave(signed_in, draft, {"industry_chain": "第二个标签页的旧版本", "area": "3.20"}, version=0)
    assert response.status_code == 409
    assert body["conflicts"] == {"industry_chain": "第一个标签页写的内容"}
    draft.refresh_from_db()
    assert draft.data["industry_chain"] == "第一个标签页写的内容"
    assert "area" not in draft.data


def test_choosing_to_keep_my_text_after_a_conflict_overwrites_deliberately(signed_in, draft):
    autosave(signed_in, draft, {"industry_chain": "甲"}, version=0)
    _, conflict = autosave(signed_in, draft, {"industry_chain": "乙"}, version=0)
    # 使用我的内容: the page re-sends its text on the version the conflict showed (static/js/autosave.js).
    response, _ = autosave(signed_in, draft, {"industry_chain": "乙"}, conflict["version"], force=["industry_chain"])
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.data["industry_chain"] == "乙"


def test_keeping_my_text_never_overwrites_a_change_saved_after_the_conflict_was_shown(signed_in, draft):
    autosave(signed_in, draft, {"industry_chain": "甲"}, version=0)
    _, conflict = autosave(signed_in, draft, {"industry_chain": "乙"}, version=0)
    autosave(signed_in, draft, {"industry_chain": "丙：另一个页面随后保存的"}, version=conflict["version"])
    response, body = autosave(signed_in, draft, {"industry_chain": "乙"}, conflict["version"], force=["industry_chain"])
    assert response.status_code == 409
    assert body["conflicts"] == {"industry_chain": "丙：另一个页面随后保存的"}  # shown, to choose again
    draft.refresh_from_db()
    assert draft.data["industry_chain"] == "丙：另一个页面随后保存的"


def test_a_stale_page_saving_a_different_cell_succeeds_and_learns_the_other_change(signed_in, draft):
    autosave(signed_in, draft, {"area": "3.20"}, version=0)
    response, body = autosave(signed_in, draft, {"cloud_ratio": "45"}, version=0)
    assert response.status_code == 200
    assert body["updates"] == {"area": "3.20"}


def test_unknown_cells_and_malformed_bodies_change_nothing(signed_in, draft):
    response, _body = autosave(signed_in, draft, {"status": "approved"})
    assert response.status_code == 400
    response = signed_in.post(
        reverse("applications:autosave", args=[draft.pk]), data="{", content_type="application/json"
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.edit_version == 0


def test_autosave_refuses_a_submitted_application(signed_in, draft):
    Application.objects.filter(pk=draft.pk).update(status="submitted")
    response, _body = autosave(signed_in, draft, {"area": "1.00"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.data.get("area") != "1.00" and draft.edit_version == 0


def test_the_form_saves_without_javascript_and_keeps_invalid_input_visible(signed_in, draft):
    response = signed_in.post(
        section_url(draft, "innovation"),
        {"version": "0", "employees": "20000", "patents": "12.5", "platforms_national__count": "1",
         "platforms_national__names__0__text": "国家稀土功能材料创新中心"},
    )  # fmt: skip
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    assert 'value="12.5"' in page
    assert "请填写不小于 0 的整数。" in page
    draft.refresh_from_db()
    assert draft.data["platforms_national__names"] == ["国家稀土功能材料创新中心"]


def test_a_section_is_done_only_once_its_required_attachments_are_uploaded_too(signed_in, draft):
    draft.data = complete_data(draft.call.schema)
    draft.save()
    page = signed_in.get(reverse("applications:overview", args=[draft.pk])).content.decode()
    # 申报基本条件, 承诺书, 三, 五, 六 and 附件材料 still wait for their files.
    assert "已完成 6 / 12 节" in page
    assert 'data-section-status="commitment" class="status status-partial">填写中' in page


def test_an_expired_session_answers_autosave_with_401_and_where_to_sign_in(signed_in, draft):
    from accounts.middleware import LAST_ACTIVITY_KEY

    session = signed_in.session
    session[LAST_ACTIVITY_KEY] = 0  # long ago
    session.save()
    response = signed_in.post(
        reverse("applications:autosave", args=[draft.pk]),
        data=json.dumps({"version": 0, "changes": {"area": "1.00"}}),
        content_type="application/json",
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("accounts:session_expired")
    draft.refresh_from_db()
    assert "area" not in draft.data


def test_a_conflict_also_brings_the_other_changes_since_the_pages_version(signed_in, draft):
    autosave(signed_in, draft, {"industry_chain": "甲", "area": "3.20"}, version=0)
    response, body = autosave(signed_in, draft, {"industry_chain": "乙"}, version=0)
    assert response.status_code == 409
    assert body["updates"] == {"area": "3.20"}


@pytest.mark.parametrize(
    "changes",
    [
        {"area": {"nested": "object"}},
        {"area": ["1.00"]},
        {"area": True},
        {"indicators": "not a list"},
        {"indicators": [{"level1": ["x"]}]},
        {"goals": [{"text": "x"}]},
        {"goals": ["目标"] * 201},
        {"industry_chain": "字" * 20_001},
    ],
)
def test_hostile_values_are_refused_and_change_nothing(signed_in, draft, changes):
    response, body = autosave(signed_in, draft, changes)
    assert response.status_code == 200
    assert set(body["errors"]) >= set(changes)
    assert body["values"] == {}
    draft.refresh_from_db()
    assert draft.edit_version == 0 and not (set(draft.data) & set(changes) - {"perf_project_name"})


def test_derived_cells_cannot_be_written(signed_in, draft):
    response, _ = autosave(signed_in, draft, {"organisation_name": "冒名单位"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert "冒名单位" not in draft.data.values() and draft.edit_version == 0


def test_the_applicant_withdraws_from_the_overview(client, applicant, draft):
    from applications.models import Status

    Application.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    client.force_login(applicant)
    response = client.post(reverse("applications:withdraw", args=[draft.pk]), follow=True)
    assert "申报书已撤回为草稿" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_lead_city_cannot_withdraw_or_save_for_the_applicant(client, bureau, draft):
    from applications.models import Status

    Application.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    client.force_login(bureau)
    assert client.post(reverse("applications:withdraw", args=[draft.pk])).status_code == 403
    response, _ = autosave(client, draft, {"area": "1.00"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.data.get("area") != "1.00"
