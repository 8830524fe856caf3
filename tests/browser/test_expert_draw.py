"""随机抽取 through real pages: the 自治区 draws experts for a cross-盟市 application (one candidate excluded
by rule), a drawn expert declines and a reserve replaces it, and the draw is reproduced from its record.
The pool list, the draw page and the record are checked with axe at 1366 and 390 px and photographed."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from regions.models import Region
from reviews import countersign, initial_review
from reviews.models import ExpertDraw, ExpertReview
from tests import factories
from tests.browser.conftest import SHOTS, look_at_both_widths, sign_in, sign_out


@pytest.fixture
def cross(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factories.open_call()
    bureau = factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛")
    app = factories.submitted_application("150200", data={"cluster_name": "包头稀土新材料产业集群"})
    app.participating_regions.add(Region.objects.get(code="150500"))  # 通辽 takes part
    initial_review.record_site_visit(app, bureau, timezone.localdate(), "张伟", "属实", [factories.upload("现场.png")])
    tongliao = factories.user(Role.BUREAU, region_code="150500")
    countersign.record_opinion(app, tongliao, True, "通辽市同意。")  # the 2024 call requires 会签
    initial_review.recommend(app, bureau, "同意推荐。", factories.upload("推荐文件.pdf"))
    experts = [
        factories.expert("150100", full_name="周明远", affiliation="内蒙古工业大学", fields=["rare_earth"]),
        factories.expert("150400", full_name="吴晓东", affiliation="赤峰学院", fields=["economics"]),
        factories.expert("150600", full_name="郑丽华", affiliation="鄂尔多斯应用技术学院", fields=["new_materials"]),
    ]
    excluded = factories.expert("150500", full_name="白云飞", affiliation="通辽职业学院", fields=["rare_earth"])
    department = factories.user(Role.DEPARTMENT, full_name="陈静")
    return app, experts, excluded, department


def test_department_draws_experts_one_declines_and_a_reserve_replaces_it(page, cross):
    app, _experts, excluded, department = cross
    sign_in(page, department.username, factories.PASSWORD)

    page.goto(f"{page.base_url}/reviews/experts/")
    expect(page.get_by_role("cell", name="通辽职业学院")).to_be_visible()
    look_at_both_widths(page, "draw-pool")

    page.goto(f"{page.base_url}/reviews/{app.pk}/draw/")
    expect(page.get_by_text("符合条件 3 名")).to_be_visible()  # 白云飞 (通辽, participating) is out
    look_at_both_widths(page, "draw-new")
    page.get_by_label("抽取人数").fill("2")
    page.get_by_label("备选人数").fill("1")
    page.get_by_label("监督人").fill("马纪检")
    page.get_by_role("button", name="随机抽取").click()

    expect(page.get_by_role("heading", name="专家抽取记录", exact=False)).to_be_visible()
    expect(page.get_by_text("专家所在盟市（通辽市）为申报单位所在或牵头、参与盟市")).to_be_visible()
    look_at_both_widths(page, "draw-record")
    draw = ExpertDraw.objects.get()
    first = ExpertReview.objects.filter(draw=draw).order_by("pk").first()
    sign_out(page)

    # The first drawn expert declines, with a reason.
    sign_in(page, first.expert.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/reviews/expert/{first.pk}/")
    page.get_by_label("谢绝理由").fill("时间冲突，无法参加")
    page.get_by_role("button", name="谢绝邀请").click()
    expect(page.get_by_text("已谢绝邀请")).to_be_visible()
    sign_out(page)

    # The 自治区 sees the reserve invited in its place, and the draw reproduced from its record.
    sign_in(page, department.username, factories.PASSWORD)
    page.goto(f"{page.base_url}/reviews/draws/{draw.pk}/")
    expect(page.get_by_text("已谢绝：时间冲突，无法参加")).to_be_visible()
    reserve = ExpertReview.objects.get(draw=draw, expert_id=draw.reserve_ids[0])
    assert reserve.awaits_answer
    page.get_by_role("button", name="按记录复核").click()
    expect(page.get_by_text("复核一致")).to_be_visible()
    page.screenshot(path=SHOTS / "draw-record-after-decline-1366.png", full_page=True)
    assert excluded.pk not in draw.drawn_ids + draw.reserve_ids
