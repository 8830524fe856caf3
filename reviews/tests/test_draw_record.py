"""The 专家抽取记录 as PDF and DOCX: the same content, from the record alone, with places to sign."""

from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument

from audit.models import AuditEntry
from reviews import draws, invitations
from tests import factories
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(recommended, department):
    for i in range(4):
        factories.expert("150100", full_name=f"抽取专家{i}", affiliation=f"内蒙古大学{i}")
    factories.expert("150300", full_name="暂停的专家", status="paused")
    made = draws.draw(
        [recommended],
        department,
        experts=2,
        reserves=1,
        cap=5,
        respond_by=timezone.now() + timedelta(days=2),
        fields=["economics"],
        supervisor="马监督",
    )
    first = made.reviews.order_by("pk").first()
    invitations.decline(first, first.expert, "时间冲突")
    made.refresh_from_db()
    return made


def _docx_text(content):
    word = WordDocument(BytesIO(content))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_record_names_the_draw_its_rules_seed_people_and_signatures(client, made, department, fmt):
    client.force_login(department)
    response = client.get(reverse("reviews:draw_document", args=[made.pk, fmt]))
    assert response.status_code == 200
    assert quote(f"专家抽取记录-{made.pk}-") in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    text = pdf_text(content) if fmt == "pdf" else _docx_text(content)
    flat = "".join(text.split())
    app = made.applications.get()
    for expected in (
        "专家抽取记录",
        app.number,
        made.seed,
        "抽取人数2名，备选1名",
        "专家状态为暂停",
        "已谢绝：时间冲突",
        "经办人（签字）",
        "监督人（签字）",
        "马监督",
        "专家库人数",
    ):
        assert expected in flat, expected
    for pk in made.drawn_ids + made.reserve_ids:
        assert made.snapshot[[r["id"] for r in made.snapshot].index(pk)]["name"] in flat
    assert AuditEntry.objects.filter(action="download", object_type="expertdraw").exists()


def test_the_record_page_shows_the_people_and_verifies(client, made, department):
    client.force_login(department)
    page = client.get(reverse("reviews:draw_record", args=[made.pk])).content.decode()
    assert made.seed in page and "专家状态为暂停" in page and "已谢绝：时间冲突" in page
    response = client.post(reverse("reviews:draw_verify", args=[made.pk]), follow=True)
    assert "复核一致" in response.content.decode()


def test_the_draw_page_draws_and_refuses_with_the_count(client, recommended, department):
    for i in range(3):
        factories.expert("150100", full_name=f"专家{i}", affiliation=f"单位{i}")
    client.force_login(department)
    url = reverse("reviews:draw", args=[recommended.pk])
    page = client.get(url).content.decode()
    assert "符合条件 <strong>3</strong> 名" in page
    respond_by = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {"experts": 3, "reserves": 1, "workload_cap": 5, "respond_by": respond_by, "expertise": ["economics"]}
    refused = client.post(url, data)
    assert "符合条件的专家只有 3 名，少于本次需要的 4 名" in refused.content.decode()
    assert 'value="3"' in refused.content.decode()  # what was typed is kept
    done = client.post(url, {**data, "reserves": 0})
    assert done.status_code == 302
    recommended.refresh_from_db()
    assert recommended.in_expert_review
