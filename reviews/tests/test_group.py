"""评审组: the 组长 among the accepted experts; the combined score sheet and the 专家评审意见汇总 for the 自治区
and the 组长 only."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument

from accounts.models import Role
from audit.models import AuditEntry
from notifications.models import Notification
from reviews import draws, experts, group
from tests import factories
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(recommended, department):
    pool = [factories.expert("150100", full_name=f"评审专家{i}", affiliation=f"单位{i}") for i in range(3)]
    made = draws.draw(
        [recommended], department, experts=2, reserves=0, cap=5,
        respond_by=timezone.now() + timedelta(days=2), fields=["economics"],
    )  # fmt: skip
    by_pk = {e.pk: e for e in pool}
    members = [by_pk[pk] for pk in made.drawn_ids]
    for n, expert in enumerate(members):
        review = experts.declare(made.reviews.get(expert=expert), expert, has_conflict=False)
        scores = {f"score_{d.key}": str(5 + n) for d in review.version.schema.rubric}
        experts.submit_sheet(
            review, expert, {**scores, "opinion": f"意见{n}：集群基础扎实", "comment_scale": "规模较大"}
        )
    outsider = next(e for e in pool if e.pk not in made.drawn_ids)
    return made, members, outsider


def test_the_leader_must_be_an_accepted_member(scored, department):
    made, members, outsider = scored
    with pytest.raises(group.GroupRefused):
        group.set_leader(made, department, outsider.pk)
    with pytest.raises(group.GroupRefused):
        group.set_leader(made, factories.user(Role.BUREAU), members[0].pk)
    group.set_leader(made, department, members[0].pk)
    made.refresh_from_db()
    assert made.leader == members[0]
    assert AuditEntry.objects.filter(action="group_leader").exists()
    assert Notification.objects.filter(recipient=members[0], title="您被指定为评审组组长").exists()


def test_only_the_department_and_the_leader_read_the_group(client, scored, department):
    made, (leader, member), outsider = scored
    group.set_leader(made, department, leader.pk)
    url = reverse("reviews:group", args=[made.pk])
    for person, status in ((department, 200), (leader, 200), (member, 404), (outsider, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert client.get(reverse("reviews:group_opinions", args=[made.pk, "pdf"])).status_code == status
    client.force_login(factories.user(Role.BUREAU))
    assert client.get(url).status_code == 403
    client.force_login(leader)
    assert reverse("reviews:group", args=[made.pk]) in client.get(reverse("reviews:expert_tasks")).content.decode()
    assert client.get(reverse("reviews:draw_record", args=[made.pk])).status_code == 403  # the record is the 自治区's


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_opinions_summary_lists_each_experts_scores_and_opinion(client, scored, department, fmt):
    made, members, _ = scored
    group.set_leader(made, department, members[0].pk)
    client.force_login(department)
    response = client.get(reverse("reviews:group_opinions", args=[made.pk, fmt]))
    content = b"".join(response.streaming_content)
    if fmt == "pdf":
        text = pdf_text(content)
    else:
        word = WordDocument(BytesIO(content))
        text = "\n".join(
            [p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells]
        )
    flat = "".join(text.split())
    assert "专家评审意见汇总" in flat and "评审组组长（签字）" in flat
    for n, expert in enumerate(members):
        assert expert.full_name in flat and f"意见{n}：集群基础扎实" in flat
    assert "规模较大" in flat
    app = made.applications.get()
    assert app.number in flat
    assert "100.0" not in flat  # totals are the experts' own: 6 dimensions × 5 or 6
