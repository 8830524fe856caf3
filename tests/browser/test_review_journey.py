"""The whole review workflow through real pages (PRODUCT.md §5).

Two applicants in two 盟市 submit; 包头 returns one and sees what changed when it comes back; both
盟市 check on site and recommend; the 自治区 accepts both and assigns experts (one excluded by rule);
three experts declare and score; the 自治区 decides, runs the 公示 and closes it as 已立项. Each
person is told what concerns them, and nobody else is.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from applications import demo
from applications.models import Application, Status
from reviews.models import Decision, ExpertReview
from tests import factories
from tests.browser.conftest import as_user

TODAY = timezone.localdate


@pytest.fixture
def cast(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = factories.open_call()
    apps = {}
    for key, region, name in (
        ("baotou", "150200", "包头稀土新材料产业集群"),
        ("tongliao", "150500", "通辽铝基新材料产业集群"),
    ):
        user = factories.user(Role.APPLICANT, region_code=region, full_name=f"{key}申报人")
        app = factories.application(user, call, data={**factories.application_defaults(), **demo.COMPLETE})
        app.data["cluster_name"] = name
        app.save()
        factories.attach_required(app, user)
        apps[key] = app
    people = {
        "baotou_bureau": factories.user(Role.BUREAU, region_code="150200", full_name="刘海涛"),
        "tongliao_bureau": factories.user(Role.BUREAU, region_code="150500", full_name="何建军"),
        "department": factories.user(Role.DEPARTMENT, full_name="陈静"),
        "expert_a": factories.user(Role.EXPERT, region_code="150100", full_name="周明远", affiliation="内蒙古工业大学"),
        "expert_b": factories.user(Role.EXPERT, region_code="150400", full_name="吴晓东", affiliation="赤峰学院"),
        "expert_c": factories.user(Role.EXPERT, region_code="150100", full_name="郑丽华", affiliation="工信研究院"),
        "expert_baotou": factories.user(
            Role.EXPERT, region_code="150200", full_name="韩志勇", affiliation="包头稀土研究院"
        ),
    }
    return apps, people


def submit_from_check_page(page, app, note=None):
    """提交, or 重新提交 with its 修改说明 when answering a return."""
    page.goto(f"{page.base_url}/applications/{app.pk}/check/")
    if note is None:
        page.get_by_role("button", name="确认提交").click()
    else:
        page.get_by_label("修改说明").fill(note)
        page.get_by_role("button", name="确认重新提交").click()
    expect(page.get_by_role("heading", name=re.compile("申报回执"))).to_be_visible()


def site_visit_and_recommend(page, app):
    page.goto(f"{page.base_url}/reviews/{app.pk}/")
    page.get_by_label("核实日期").fill(TODAY().isoformat())
    page.get_by_label("核实人员").fill("王伟、赵敏")
    page.get_by_label("核实情况").fill("现场查看主要企业生产经营情况，统计数据与申报材料一致。")
    page.get_by_label("现场照片").set_input_files(
        {"name": "现场.png", "mimeType": "image/png", "buffer": factories.PNG_1PX}
    )
    page.get_by_role("button", name="保存核实记录").click()
    expect(page.locator("#site-visits, .site-visits").first).to_contain_text("王伟、赵敏")
    page.get_by_label("推荐意见").fill("经实地核实，申报材料真实，同意推荐。")
    page.get_by_label("盖章的推荐文件").set_input_files(
        {"name": "推荐文件.pdf", "mimeType": "application/pdf", "buffer": demo.demo_pdf("recommendation")}
    )
    page.get_by_role("button", name="确认推荐").click()
    expect(page.locator(".page-header")).to_contain_text("待自治区受理")


def accept_with(page, app, experts):
    page.goto(f"{page.base_url}/reviews/{app.pk}/accept/")
    for expert in experts:
        page.locator(f"#expert-{expert.pk}").check()
    page.get_by_label("人工选择理由").fill("演示：人工选择指定专家")
    page.get_by_role("button", name="受理并分配专家").click()


def declare_and_score(page, app, scores):
    page.goto(f"{page.base_url}/reviews/expert/")
    page.get_by_role("row", name=re.compile(app.number)).get_by_role("link").click()
    page.get_by_label("不存在利益冲突，开始评审").check()
    page.get_by_role("button", name="提交声明").click()
    figure = Application.objects.get(pk=app.pk).latest_version.data["output__2023"]
    expect(page.get_by_text(figure).first).to_be_visible()  # the content opens only now
    for key, score in scores.items():
        page.locator(f"#score_{key}").fill(score)
        page.locator(f"#comment_{key}").fill("指标扎实。")
    page.locator("#opinion").fill("集群基础好，规划可行，建议支持。")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_text(re.compile("已提交"))).not_to_have_count(0)


def notification_titles(page):
    page.goto(f"{page.base_url}/notifications/")
    return page.locator("main").inner_text()


def test_two_applications_from_submission_to_approval(page, cast):
    apps, people = cast
    baotou, tongliao = apps["baotou"], apps["tongliao"]

    # 1. Both applicants submit.
    for app in (baotou, tongliao):
        as_user(page, app.created_by)
        submit_from_check_page(page, app)

    # 2. 包头 sees only its own application, and returns it with a reason.
    as_user(page, people["baotou_bureau"])
    page.goto(f"{page.base_url}/reviews/")
    expect(page.locator("main")).to_contain_text(baotou.number)
    expect(page.locator("main")).not_to_contain_text(tongliao.number)
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/")
    page.get_by_label("退回理由").fill("请核实2023年集群总产值，并补充统计口径说明。")
    page.get_by_role("button", name="确认退回").click()
    expect(page.locator(".page-header")).to_contain_text("退回修改")

    # 3. The applicant reads the reason, corrects the figure in a draft that starts from its version, resubmits.
    as_user(page, baotou.created_by)
    expect(page.locator(".bell, [aria-label*='未读']").first).to_be_visible()
    page.goto(f"{page.base_url}/applications/{baotou.pk}/")
    expect(page.locator("main")).to_contain_text("请核实2023年集群总产值")
    page.goto(f"{page.base_url}/applications/{baotou.pk}/section/industry/")
    field = page.locator('[name="output__2023"]')
    expect(field).to_have_value("1402.60")
    field.fill("1450.80")
    page.evaluate("window.shenbaoAutosave.flush()")
    expect(page.locator("#save-status")).to_have_text(re.compile("^已保存"), timeout=10_000)
    submit_from_check_page(page, baotou, note="已核实2023年集群总产值为1450.80亿元，统计口径为规上企业。")

    # 4. 包头 sees what changed since the version it returned, with the new cross-check warning in place.
    as_user(page, people["baotou_bureau"])
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/")
    expect(page.locator("main")).to_contain_text("交叉核验")
    page.get_by_role("link", name=re.compile("自上次退回以来的修改")).click()
    changes = page.locator("main")
    expect(changes).to_contain_text("2023年集群总产值")
    expect(changes).to_contain_text("1402.60")
    expect(changes).to_contain_text("1450.80")
    expect(changes).to_contain_text("统计口径为规上企业")  # the 修改说明, beside the diff
    site_visit_and_recommend(page, baotou)

    # 5. 通辽 checks and recommends its own.
    as_user(page, people["tongliao_bureau"])
    site_visit_and_recommend(page, tongliao)

    # 6. The 自治区 accepts both; the 包头 expert is excluded by rule from the 包头 application.
    as_user(page, people["department"])
    page.goto(f"{page.base_url}/reviews/?status=recommended")
    expect(page.locator("main")).to_contain_text(baotou.number)
    expect(page.locator("main")).to_contain_text(tongliao.number)
    experts = [people["expert_a"], people["expert_b"], people["expert_c"]]
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/accept/")
    expect(page.get_by_role("row", name=re.compile("韩志勇"))).to_contain_text("须回避")
    accept_with(page, baotou, [*experts, people["expert_baotou"]])
    expect(page.locator("main")).to_contain_text("韩志勇")
    accept_with(page, tongliao, experts)
    excluded = ExpertReview.objects.get(application=baotou, expert=people["expert_baotou"])
    assert excluded.status == ExpertReview.Status.EXCLUDED

    # 7. Three experts declare no conflict and score; the excluded one sees nothing of it.
    rubric = baotou.call.schema.rubric
    for expert, offset in zip(experts, (2, 4, 3), strict=True):
        as_user(page, expert)
        declare_and_score(page, baotou, {d.key: str(d.weight - offset) for d in rubric})
    as_user(page, people["expert_baotou"])
    page.goto(f"{page.base_url}/reviews/expert/")
    expect(page.locator("main")).not_to_contain_text(baotou.number)
    assert baotou.number not in notification_titles(page)

    # 8. The 自治区 reads the scores, decides, runs the 公示 and closes it.
    as_user(page, people["department"])
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/scores/")
    expect(page.locator("main")).to_contain_text("82.00")  # the mean of 88, 76 and 82
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/decide/")
    page.get_by_label("拟支持").check()
    page.get_by_label("奖补金额（万元）").fill("500.00")
    page.get_by_label("公示开始日期").fill(TODAY().isoformat())
    page.get_by_label("公示结束日期").fill((TODAY() + timedelta(days=6)).isoformat())
    page.get_by_role("button", name="确认决定").click()
    expect(page.locator(".page-header")).to_contain_text("公示中")
    # Seven days pass without objection.
    Decision.objects.filter(application=baotou).update(
        publicity_starts=TODAY() - timedelta(days=8), publicity_ends=TODAY() - timedelta(days=1)
    )
    page.goto(f"{page.base_url}/reviews/{baotou.pk}/")
    page.get_by_role("button", name="公示期满立项").click()
    expect(page.locator(".page-header")).to_contain_text("已立项")
    assert Application.objects.get(pk=baotou.pk).status == Status.APPROVED

    # 9. Each applicant was told about its own application only.
    as_user(page, baotou.created_by)
    told = notification_titles(page)
    for words in ("退回修改", "已获盟市推荐", "已受理", "拟支持", "公示开始", "已立项"):
        assert words in told
    as_user(page, tongliao.created_by)
    told = notification_titles(page)
    assert "已受理" in told
    assert baotou.number not in told and "退回修改" not in told
