"""字数 through the real autosave (issue 19): zero-width and other invisible characters are stripped
before storing, an emoji sequence is one 字, and the count the pages show is the visible one."""

import pytest
from django.urls import reverse

from applications.models import Application
from tests.hostile.support import post_autosave

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦


def save(client, draft, changes):
    draft.refresh_from_db(fields=["edit_version"])
    response = post_autosave(client, draft, {"version": draft.edit_version, "changes": changes})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def stored(draft):
    return Application.objects.get(pk=draft.pk).data


def test_three_hundred_zero_width_spaces_are_stored_stripped_and_count_nothing(signed_in, draft):
    answer = save(signed_in, draft, {"industry_chain": "\u200b" * 300 + "字"})
    assert stored(draft)["industry_chain"] == "字"
    assert answer["values"]["industry_chain"] == "字"  # the page writes the stored form back
    assert "industry_chain" not in answer["errors"]


def test_text_full_of_zero_width_spaces_under_the_limit_is_not_refused(signed_in, draft):
    # 200 visible 字, each followed by a zero-width space and a word joiner: 600 code points.
    typed = "".join(f"{c}\u200b\u2060" for c in "集群产业链培育" * 28 + "招商情况")
    answer = save(signed_in, draft, {"industry_chain": typed})
    assert stored(draft)["industry_chain"] == "集群产业链培育" * 28 + "招商情况"
    assert "industry_chain" not in answer["errors"]


@pytest.mark.parametrize("n, message", [(200, None), (201, "限200字以内，现有201字，超出1字。")])
def test_the_limit_counts_each_emoji_sequence_once_in_the_answer_and_on_the_page(signed_in, draft, n, message):
    answer = save(signed_in, draft, {"industry_chain": "\u200b".join([FAMILY] * n)})
    assert stored(draft)["industry_chain"] == FAMILY * n
    assert answer["errors"].get("industry_chain") == message
    page = signed_in.get(reverse("applications:section", args=[draft.pk, "industry"])).content.decode()
    assert "\u200b" not in page
    assert (message in page) if message else ("现有" not in page)


def test_the_plan_total_counts_what_is_visible_across_its_parts(signed_in, draft):
    # 全文限3000字: 2999 字 and one emoji sequence, padded with invisible characters, is exactly the limit.
    parts = {"plan__intro": "\ufeff" * 100 + "规" * 1500, "plan__achievements": "划\u200b\u00ad" * 1499 + FAMILY}
    answer = save(signed_in, draft, parts)
    assert "plan" not in answer["errors"]
    save(signed_in, draft, {"plan__problems": "问"})
    check_page = signed_in.get(reverse("applications:check", args=[draft.pk])).content.decode()
    assert "全文限3000字以内，现有3001字，超出1字。" in check_page


def test_bidirectional_overrides_cannot_reorder_what_a_reviewer_reads(signed_in, draft):
    # U+202E would show "集群名称txt.exe" as "集群名称exe.txt"; it is dropped, and the text reads as typed.
    save(signed_in, draft, {"industry_chain": "集群名称\u202etxt.exe\u202c，\u2066说明\u2069"})
    assert stored(draft)["industry_chain"] == "集群名称txt.exe，说明"
