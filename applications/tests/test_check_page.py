"""提交前检查: problems grouped by page with their counts and links; a complete application's answers to read
once, and 确认提交 as the page's only primary button."""

import pytest
from django.urls import reverse
from lxml import html  # type: ignore[import-untyped]  # no stubs installed; a parser for tests only

from applications import submission
from tests.application_data import complete_data


def check_page(client, application):
    response = client.get(reverse("applications:check", args=[application.pk]))
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def find(root, selector):
    """Elements by a small CSS subset, each step "tag.class" or "#id" (lxml's cssselect is not installed)."""
    path = "."
    for step in selector.split():
        tag, _, cls = step.partition(".")
        if tag.startswith("#"):
            path += f"//*[@id='{tag[1:]}']"
            continue
        path += f"//{tag or '*'}"
        for name in filter(None, cls.split(".")):
            path += f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    return root.xpath(path)


def primary_buttons(page):
    return [" ".join(b.text_content().split()) for b in find(page, ".button.primary")]


@pytest.fixture
def nearly_complete(draft, applicant, media):
    """Complete but for two figures of 二、主导产业情况 and three answers of 三、创新能力情况, files attached."""
    from tests import factories

    data = complete_data(draft.call.schema)
    for name in ("output__2021", "output__2022", "employees", "rd_staff_ratio", "patents"):
        data[name] = ""
    draft.data = data
    draft.save()
    factories.attach_required(draft, applicant)
    return draft


def test_each_page_with_problems_is_a_heading_with_its_count(client, nearly_complete, applicant):
    client.force_login(applicant)
    page = check_page(client, nearly_complete)
    groups = {
        find(g, ".check-group-title")[0].text_content(): find(g, ".check-count")[0].text_content()
        for g in find(page, "#problems .check-group")
    }
    assert groups == {"二、主导产业情况": "2 处待完善", "三、创新能力情况": "3 处待完善"}
    assert "需要填写或修改的内容（5 处，分布在 2 节）" in find(page, "#problems h2")[0].text_content()


def test_the_pages_without_problems_are_one_line(client, nearly_complete, applicant):
    client.force_login(applicant)
    page = check_page(client, nearly_complete)
    pages = len(nearly_complete.schema.section_keys)
    assert find(page, ".check-complete")[0].text_content() == f"其余 {pages - 2} 节已完整。"


def test_each_problem_links_to_its_field_on_its_page(client, nearly_complete, applicant):
    client.force_login(applicant)
    page = check_page(client, nearly_complete)
    pk = nearly_complete.pk
    by_group = {
        find(g, ".check-group-title")[0].text_content(): [a.get("href") for a in find(g, ".check-list a")]
        for g in find(page, "#problems .check-group")
    }
    assert by_group["二、主导产业情况"] == [
        f"/applications/{pk}/section/industry/?check=1#cell-output__2021",
        f"/applications/{pk}/section/industry/?check=1#cell-output__2022",
    ]
    innovation = f"/applications/{pk}/section/innovation/?check=1#cell-"
    assert sorted(by_group["三、创新能力情况"]) == sorted(
        innovation + name for name in ("employees", "rd_staff_ratio", "patents")
    )
    page_links = [a.get("href") for a in find(page, ".check-group-page a")]
    assert page_links == [f"/applications/{pk}/section/industry/", f"/applications/{pk}/section/innovation/"]


def test_a_missing_file_is_grouped_under_the_attachments_page(client, draft, applicant, media):
    from tests import factories

    draft.data = complete_data(draft.call.schema)
    draft.save()
    factories.attach_required(draft, applicant, skip={"recognition_document"})
    client.force_login(applicant)
    page = check_page(client, draft)
    (group,) = find(page, "#problems .check-group")
    slot = draft.schema.slot("recognition_document")
    title = draft.schema.section_title(slot.section)
    assert find(group, ".check-group-title")[0].text_content() == title
    assert find(group, ".check-count")[0].text_content() == "1 处待完善"
    assert find(group, ".check-list a")[0].get("href").endswith("#slot-recognition_document")


def test_groups_follow_the_order_of_the_form(nearly_complete):
    check = submission.pre_submit_check(nearly_complete)
    order = nearly_complete.schema.section_keys
    assert [g.section for g in check.groups] == sorted((g.section for g in check.groups), key=order.index)
    assert sum(len(g.items) for g in check.groups) == len(check.problems) == 5
    assert check.complete_count == len(order) - 2


def test_an_incomplete_application_offers_no_primary_button_and_no_summary(client, nearly_complete, applicant):
    client.force_login(applicant)
    page = check_page(client, nearly_complete)
    assert primary_buttons(page) == []
    (submit,) = find(page, "#submit button")
    assert submit.get("disabled") is not None
    assert not find(page, "#answers")


def test_a_complete_application_shows_its_answers_with_a_change_link_per_page(client, ready, applicant):
    client.force_login(applicant)
    page = check_page(client, ready)
    assert not find(page, "#problems")
    heads = [h.text_content() for h in find(page, "#answers .answer-head h3")]
    schema = ready.schema
    assert heads == [schema.section_title(key) for key in schema.section_keys]
    change = {find(a.getparent(), "h3")[0].text_content(): a.get("href") for a in find(page, "#answers .answer-head a")}
    assert change["三、创新能力情况"] == f"/applications/{ready.pk}/section/innovation/"
    assert change["附件材料"] == f"/applications/{ready.pk}/attachments/"
    answers = {dt.text_content(): dt.getnext().text_content() for dt in find(page, "#answers .answer-list dt")}
    assert answers[schema.fields["employees"].label] == f"{ready.data['employees']} 人"
    assert answers[schema.fields["rd_staff_ratio"].label] == f"{ready.data['rd_staff_ratio']}%"
    year = schema.years[0]
    assert answers[schema.fields["output"].label].startswith(f"{year}年 {ready.data[f'output__{year}']} 亿元；")
    assert answers[schema.slot("recognition_document").label] == "1 个文件"
    assert "未填写" not in answers.values()  # a complete application has answered everything it must


def test_a_complete_application_has_confirm_submit_as_its_only_primary_button(client, ready, applicant):
    client.force_login(applicant)
    page = check_page(client, ready)
    assert primary_buttons(page) == ["确认提交"]
    form = find(page, ".button.primary")[0].getparent()
    assert form.get("action") == reverse("applications:submit", args=[ready.pk])


def test_confirm_submit_comes_before_the_answers_on_a_complete_application(client, ready, applicant):
    client.force_login(applicant)
    text = client.get(reverse("applications:check", args=[ready.pk])).content.decode()
    assert text.index("确认提交") < text.index("核对填报内容")


def test_a_submitted_application_shows_no_summary_and_no_submit(client, ready, applicant):
    submission.submit(ready, applicant)
    client.force_login(applicant)
    page = check_page(client, ready)
    assert not find(page, "#answers") and not find(page, "#submit")
