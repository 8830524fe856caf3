"""The review office as the 工信厅 runs it, through real pages, for one cross-盟市 cluster (包头 leads, 通辽
takes part): 通辽 signs its 会签 and 包头 recommends; the 自治区 draws two experts and a reserve (the 通辽
expert excluded by rule); one drawn expert declines and the reserve takes its place; the experts score; the
自治区 decides 拟支持; anyone reads the public 公示 and objects; the 自治区 answers; after the period it
establishes the application and downloads its 立项通知; the draw, reproduced from its record, gives the same
experts. The per-part journeys (test_countersign_journey, test_expert_draw, test_publicity_journey) look at
each page at both widths; this one proves the parts join up.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from applications.models import Application, Status
from regions.models import Region
from reviews import decisions, draws, initial_review
from reviews.models import Decision, ExpertDraw, ExpertReview, Objection
from reviews.tests.test_region_views import score
from tests import factories
from tests.browser.conftest import as_user, sign_in, sign_out
from tests.pdf import pdf_text


@pytest.fixture
def office(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factories.open_call()
    world = {
        "lead": factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛"),
        "tongliao": factories.user(Role.BUREAU, region_code="150500", full_name="何建军"),
        "department": factories.user(Role.DEPARTMENT, full_name="陈静"),
        "pool": [
            factories.expert("150100", full_name="周明远", affiliation="内蒙古工业大学", fields=["rare_earth"]),
            factories.expert("150400", full_name="吴晓东", affiliation="赤峰学院", fields=["economics"]),
            factories.expert("150600", full_name="郑丽华", affiliation="鄂尔多斯应用学院", fields=["new_materials"]),
        ],
        # Same 盟市 as a participating one: the rules keep this expert out of the draw.
        "excluded": factories.expert("150500", full_name="白云飞", affiliation="通辽职业学院", fields=["rare_earth"]),
    }
    app = factories.submitted_application("150200", data={"cluster_name": "包头稀土新材料产业集群"})
    app.participating_regions.add(Region.objects.get(code="150500"))
    initial_review.record_site_visit(app, world["lead"], timezone.localdate(), "王伟", "属实")
    return app, world


def test_a_cross_region_cluster_from_countersign_to_its_establishment_notice(page, office):
    app, w = office

    # 会签: 通辽 agrees; only then may 包头 recommend.
    as_user(page, w["tongliao"])
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    form = page.locator("#countersign-form")
    form.get_by_label("同意", exact=True).check()
    form.get_by_label("会签意见").fill("通辽市同意联合培育该集群，本市配套企业数据属实。")
    form.get_by_role("button", name="提交会签意见").click()
    expect(page.locator("#actions")).to_contain_text("会签：同意")

    as_user(page, w["lead"])
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    page.get_by_label("推荐意见").fill("经实地核实并经通辽市会签，同意推荐。")
    page.get_by_label("盖章的推荐文件").set_input_files(
        {"name": "推荐文件.pdf", "mimeType": "application/pdf", "buffer": demo.demo_pdf("recommendation")}
    )
    page.get_by_role("button", name="确认推荐").click()
    expect(page.locator(".page-header")).to_contain_text("待自治区受理")

    # 随机抽取: two experts and one reserve; 白云飞 (通辽) is excluded by rule.
    as_user(page, w["department"])
    page.goto(f"{page.base_url}/reviews/{app.pk}/draw/")
    expect(page.get_by_text("符合条件 3 名")).to_be_visible()
    page.get_by_label("抽取人数").fill("2")
    page.get_by_label("备选人数").fill("1")
    page.get_by_label("监督人").fill("马纪检")
    page.get_by_role("button", name="随机抽取").click()
    expect(page.get_by_text("专家所在盟市（通辽市）为申报单位所在或牵头、参与盟市")).to_be_visible()
    draw = ExpertDraw.objects.get()
    assert w["excluded"].pk not in draw.drawn_ids + draw.reserve_ids
    assert Application.objects.get(pk=app.pk).status == Status.UNDER_REVIEW

    # The first drawn expert declines; the reserve is invited in its place.
    first = ExpertReview.objects.get(draw=draw, expert_id=draw.drawn_ids[0])
    as_user(page, first.expert)
    page.goto(f"{page.base_url}/reviews/expert/{first.pk}/")
    page.get_by_label("谢绝理由").fill("时间冲突，无法参加")
    page.get_by_role("button", name="谢绝邀请").click()
    expect(page.get_by_text("已谢绝邀请")).to_be_visible()
    panel = [draw.drawn_ids[1], draw.reserve_ids[0]]
    assert set(ExpertReview.objects.filter(application=app).pending().values_list("expert_id", flat=True)) == set(panel)

    # The two experts declare no conflict and score; the application waits for the decision.
    for expert_id, total in zip(panel, (82, 78), strict=True):
        score(app, next(e for e in w["pool"] if e.pk == expert_id), total)
    assert Application.objects.get(pk=app.pk).status == Status.AWAITING_DECISION

    # 拟支持 for what was asked, 公示 from today.
    requested = decisions.requested_amount(app)
    today = timezone.localdate()
    as_user(page, w["department"])
    page.goto(f"{page.base_url}/reviews/{app.pk}/decide/")
    page.get_by_label("拟支持").check()
    page.get_by_label("奖补金额（万元）").fill(str(requested))
    page.get_by_label("公示开始日期").fill(today.isoformat())
    page.get_by_label("公示结束日期").fill((today + timedelta(days=6)).isoformat())
    page.get_by_role("button", name="确认决定").click()
    expect(page.locator("main")).to_contain_text("公示中")
    sign_out(page)

    # Anyone reads the 公示 and objects, by name.
    page.goto(f"{page.base_url}/publicity/")
    expect(page.locator(".publicity-table")).to_contain_text("包头稀土新材料产业集群")
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("工作单位").fill("个人")
    page.get_by_label("联系电话").fill("13904721234")
    page.get_by_label("异议内容").fill("申报的2023年产值与统计部门数据不一致。")
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator("main")).to_contain_text("异议已提交")

    # The 自治区 answers it; after the period, 立项 and its notice.
    sign_in(page, w["department"].username, factories.PASSWORD)
    page.goto(f"{page.base_url}/reviews/{app.pk}/decide/")
    page.get_by_label("不成立").check()
    page.get_by_label("处理意见").fill("经核实，申报产值与统计年鉴一致，异议不成立。")
    page.get_by_role("button", name="答复异议").click()
    assert Objection.objects.get(application=app).is_answered
    Decision.objects.filter(application=app).update(
        publicity_starts=today - timedelta(days=8), publicity_ends=today - timedelta(days=1)
    )
    page.reload()
    page.get_by_role("button", name="公示期满立项").click()
    expect(page.locator("main")).to_contain_text("已立项")
    page.goto(f"{page.base_url}/reviews/{app.pk}/decide/")
    with page.expect_download() as info:
        page.get_by_role("link", name="立项通知（PDF）").click()
    text = pdf_text(info.value.path())
    assert "立项通知" in text and app.number in text

    # The draw, reproduced from its record, gives the same experts in the same order.
    page.goto(f"{page.base_url}/reviews/draws/{draw.pk}/")
    page.get_by_role("button", name="按记录复核").click()
    expect(page.get_by_text("复核一致")).to_be_visible()
    again = draws.reproduce(ExpertDraw.objects.get(pk=draw.pk))
    assert (again["drawn"], again["reserves"]) == (draw.drawn_ids, draw.reserve_ids)
