"""Issue 20, 指南一致性: 表一's 否 answers block like the eligibility page's, seen through the pages an
applicant uses (the section, autosave, 提交前检查, 提交)."""

import json

import pytest
from django.urls import reverse

from applications.models import Status, Version

NOT_PROHIBITED = "集群主导产业属于国家规定的禁止、限制和淘汰类产业的，不符合申报条件。"
NO_ACCIDENTS = (
    "近三年发生过较大及以上安全、质量、环境污染等事故，或重大及以上网络安全事件和数据安全事件的，不符合申报条件。"
)
NO_VIOLATIONS = "存在偷税漏税、违法违规、严重失信或其他重大问题行为的，不符合申报条件。"
TABLE_ONE = {"not_prohibited": NOT_PROHIBITED, "no_accidents": NO_ACCIDENTS, "no_violations": NO_VIOLATIONS}


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def check_page(client, app):
    return client.get(reverse("applications:check", args=[app.pk])).content.decode()


@pytest.mark.parametrize("key, message", TABLE_ONE.items())
def test_a_no_in_table_one_stops_the_check_page_and_the_submit_button(signed_in, ready, key, message):
    assert "可以提交" in check_page(signed_in, ready)
    ready.data[key] = "否"
    ready.save()
    page = check_page(signed_in, ready)
    assert f'<ul class="check-list blockers"><li>{message}</li>' in page
    assert "可以提交。" not in page and "以下问题处理完毕后才能提交" in page
    assert f"/section/basic/?check=1#cell-{key}" in page
    assert 'class="button" disabled>确认提交' in page


@pytest.mark.parametrize("key, message", TABLE_ONE.items())
def test_the_server_refuses_to_submit_a_no_in_table_one(signed_in, ready, key, message):
    ready.data[key] = "否"
    ready.save()
    response = signed_in.post(reverse("applications:submit", args=[ready.pk]), follow=True)
    assert message in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == Status.DRAFT and not Version.objects.exists()


def test_yes_in_table_one_submits(signed_in, ready):
    assert all(ready.data[key] == "是" for key in TABLE_ONE)
    response = signed_in.post(reverse("applications:submit", args=[ready.pk]))
    assert response.url == reverse("applications:receipt", args=[ready.pk, 1])


def test_an_unanswered_declaration_is_only_missing_as_before(signed_in, ready):
    ready.data["no_accidents"] = ""
    ready.save()
    page = check_page(signed_in, ready)
    assert NO_ACCIDENTS not in page
    assert "请选择近三年未发生较大及以上安全" in page
    assert 'class="check-list blockers"' not in page  # missing answers are listed, not stated as disqualifying


def test_the_message_sits_beside_the_answer_once_saved(signed_in, draft):
    response = signed_in.post(
        reverse("applications:autosave", args=[draft.pk]),
        data=json.dumps({"version": 0, "changes": {"no_violations": "否"}}),
        content_type="application/json",
    )
    assert response.json()["errors"]["no_violations"] == NO_VIOLATIONS
    page = signed_in.get(reverse("applications:section", args=[draft.pk, "basic"])).content.decode()
    assert f'<p class="field-error" data-error-for="no_violations" id="err-no_violations">{NO_VIOLATIONS}</p>' in page


# --- Figures computed from other cells, beside the field ---


def section_page(client, app, key):
    return client.get(reverse("applications:section", args=[app.pk, key])).content.decode()


def test_the_innovation_page_carries_each_formula_and_the_saved_operands_of_other_pages(signed_in, draft):
    draft.data = {"output__2021": "800.00", "rd_spend__2021": "17.00", "employees": "80000", "patents": "1"}
    draft.save()
    page = section_page(signed_in, draft, "innovation")
    assert (
        '<p class="computed-figure" id="calc-patents_per_10k" data-computed-for="patents_per_10k"\n'
        '  data-numerator="patents" data-denominator="employees" data-scale="10000" data-tolerance="0.005"\n'
        '  data-hint="按填报数据计算约为 {computed}" data-numerator-value="1" data-denominator-value="80000"\n'
        "  >按填报数据计算约为 0.13</p>"
    ) in page
    # 集群总产值 is asked on 二、主导产业情况: its saved value comes with the page
    assert (
        'data-numerator="rd_spend__2021" data-denominator="output__2021" data-scale="100" data-tolerance="0.005"'
    ) in page
    assert 'data-numerator-value="17.00" data-denominator-value="800.00"' in page
    assert "按填报数据计算约为 2.13%</p>" in page  # 2.125 % rounded half up
    assert 'aria-describedby="err-patents_per_10k calc-patents_per_10k warn-patents_per_10k"' in page
    assert '<script src="/static/js/figures.js" defer></script>' in page


def test_a_figure_without_its_operands_shows_no_computed_value(signed_in, draft):
    page = section_page(signed_in, draft, "innovation")
    assert 'data-denominator-value=""\n  hidden></p>' in page


def test_the_warning_is_beside_the_field_on_the_page_and_in_the_autosave_answer(signed_in, draft):
    draft.data = {"employees": "80000", "patents": "1"}
    draft.save()
    response = signed_in.post(
        reverse("applications:autosave", args=[draft.pk]),
        data=json.dumps({"version": 0, "changes": {"patents_per_10k": "0.11"}}),
        content_type="application/json",
    )
    message = (
        "每万人有效发明专利拥有量填报为 0.11，按有效发明专利 1 个 ÷ 从业人员 80000 人 × 10000 计算约为 0.13，请核实。"
    )
    assert response.json()["warnings"] == [{"section": "innovation", "cell": "patents_per_10k", "message": message}]
    page = section_page(signed_in, draft, "innovation")
    assert (
        f'<p class="field-warning" data-warning-for="patents_per_10k" id="warn-patents_per_10k">{message}</p>' in page
    )
    assert f"<li>{message}</li>" in page  # and in the section's list at the top
    check = check_page(signed_in, draft)
    assert (
        f'<a href="/applications/{draft.pk}/section/innovation/#cell-patents_per_10k">三、创新能力情况</a>：{message}'
        in check
    )


@pytest.mark.parametrize("stated, warns", [("0.12", False), ("0.13", False), ("0.11", True), ("0.14", True)])
def test_the_server_warns_beyond_the_rounding_exactly_at_half_a_cent(signed_in, draft, stated, warns):
    draft.data = {"employees": "80000", "patents": "1", "patents_per_10k": stated}  # 0.125
    draft.save()
    page = section_page(signed_in, draft, "innovation")
    assert ('data-warning-for="patents_per_10k" id="warn-patents_per_10k" hidden>' not in page) is warns
