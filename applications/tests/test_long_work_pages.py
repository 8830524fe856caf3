"""What the long-work pages offer without JavaScript: 暂存 posts the section, and document links are plain
downloads marked for downloads.js (正在生成…)."""

from django.urls import reverse

from applications.models import Application


def test_save_now_sits_beside_the_saved_chip_and_submits_the_section_form(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("applications:section", args=[draft.pk, "basic"])).content.decode()
    bar = html[html.index('class="save-bar"') : html.index("</div>", html.index('class="save-bar"'))]
    assert 'id="save-status"' in bar
    assert '<button type="submit" form="section-form" class="button small" data-save-now>暂存</button>' in bar


def test_save_now_without_javascript_saves_the_section(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("applications:section", args=[draft.pk, "basic"])
    response = client.post(url, {"version": draft.edit_version, "area": "12.50"})
    assert response.status_code == 302 and response.url == url
    assert Application.objects.get(pk=draft.pk).data["area"] == "12.50"


def test_a_read_only_section_offers_no_save_now(client, ready, applicant):
    from applications import submission

    submission.submit(ready, applicant)
    client.force_login(applicant)
    html = client.get(reverse("applications:section", args=[ready.pk, "basic"])).content.decode()
    assert "data-save-now" not in html


def test_the_draft_document_links_are_marked_for_the_generating_notice(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("applications:overview", args=[draft.pk])).content.decode()
    for document in draft.schema.documents:
        for fmt in ("pdf", "docx"):
            assert f'data-download href="{reverse("documents:download", args=[draft.pk, document, fmt])}"' in html
    assert "js/downloads.js" in html
