"""Who is told what at each step of the review: the people who must act, and those who should know.
Submission and withdrawal are told by applications/notices.py, which also names the recipients."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from applications.notices import (
    applicants,
    application_name,
    bureau,
    department,
    overview_url,
    participating_bureaus,
    review_url,
)
from calls.deadlines import format_time
from notifications.models import Event
from notifications.service import notify


def returned(app, transition):
    who = "自治区工业和信息化厅" if transition.actor_role == Role.DEPARTMENT else app.lead_region.bureau_name
    notify(
        applicants(app),
        Event.RETURNED,
        f"申报书被{who}退回修改",
        f"退回理由：{transition.reason}\n请按意见修改后重新提交。",
        overview_url(app),
        app,
    )
    if transition.actor_role == Role.DEPARTMENT:
        notify(
            bureau(app.lead_region_id),
            Event.RETURNED,
            "自治区退回了本盟市推荐的申报",
            f"{application_name(app)}：{transition.reason}",
            review_url(app),
            app,
        )
    notify(
        participating_bureaus(app),
        Event.RETURNED,
        f"本盟市参与的跨盟市申报被{who}退回修改",
        f"{application_name(app)} 已退回申报单位修改。"
        + ("重新提交后请对新版本重新会签。" if app.schema.asks_countersign else ""),
        review_url(app),
        app,
    )


def countersigned(app, countersign):
    """A participating 盟市 gave its 会签 opinion: the lead 盟市, which recommends after it, is told."""
    notify(
        bureau(app.lead_region_id),
        Event.SUBMITTED,
        f"{countersign.region.name}已会签（{countersign.verdict}）",
        f"{countersign.region.bureau_name}对 {application_name(app)} 第 {countersign.version.number} 版"
        f"会签：{countersign.verdict}。会签意见见审核页面。",
        review_url(app) + "#countersign",
        app,
    )


def recommended(app, transition):
    notify(
        department(),
        Event.RECOMMENDED,
        f"{app.lead_region.name}推荐了申报书，待受理",
        f"{application_name(app)}，推荐意见：{transition.reason}",
        review_url(app),
        app,
    )
    notify(
        applicants(app),
        Event.RECOMMENDED,
        "申报书已获盟市推荐",
        f"{app.lead_region.bureau_name}已将 {application_name(app)} 推荐至自治区。",
        overview_url(app),
        app,
    )
    notify(
        participating_bureaus(app),
        Event.RECOMMENDED,
        "本盟市参与的跨盟市申报已获推荐",
        f"{app.lead_region.bureau_name}已将 {application_name(app)} 推荐至自治区。",
        review_url(app),
        app,
    )


def accepted(app, user):
    notify(
        applicants(app),
        Event.ACCEPTED,
        "申报书已受理",
        f"自治区工业和信息化厅已受理 {application_name(app)}，进入专家评审。",
        overview_url(app),
        app,
    )
    notify(
        bureau(app.lead_region_id),
        Event.ACCEPTED,
        "推荐的申报已受理",
        f"{application_name(app)} 已进入专家评审。",
        review_url(app),
        app,
    )


def assigned(review):
    app = review.application
    deadline = app.call.scoring_deadline
    until = f"请于 {format_time(deadline)} 前完成评分。" if deadline else ""
    notify(
        [review.expert],
        Event.ASSIGNED,
        "您有新的评审任务",
        f"申报书 {application_name(app)} 已分配给您评审。查看内容前请先声明是否存在利益冲突。{until}",
        reverse("reviews:expert_review", args=[review.pk]),
        app,
    )


def invited(reviews):
    """A drawn expert is invited to the applications of one draw: it answers by the time limit."""
    first = reviews[0]
    numbers = "、".join(r.application.number for r in reviews)
    notify(
        [first.expert],
        Event.ASSIGNED,
        "评审邀请：请在期限内接受或谢绝",
        f"您被随机抽取为申报书 {numbers} 的评审专家。请于 {format_time(first.respond_by)} 前答复："
        "作出利益冲突声明即接受邀请；不能参加的，请填写理由谢绝。逾期未答复视为谢绝。",
        reverse("reviews:expert_review", args=[first.pk]),
        first.application,
    )


def declined(review, expired=False):
    """The 自治区 learns that a drawn expert declined, or let the time limit pass."""
    what = "逾期未答复" if expired else "谢绝了邀请"
    notify(
        department(),
        Event.ASSIGNED,
        f"抽取的专家{what}",
        f"{review.expert.full_name}{what}（{review.application.number}），系统将自动递补备选专家。",
        reverse("reviews:draw_record", args=[review.draw_id]),
        review.application,
    )


def reserve_invited(draw, leaving, expert):
    notify(
        department(),
        Event.ASSIGNED,
        "已递补备选专家",
        f"专家抽取记录 #{draw.pk}：{expert.full_name}递补{leaving.full_name}，已发出评审邀请。",
        reverse("reviews:draw_record", args=[draw.pk]),
    )


def no_reserve_left(draw, leaving):
    notify(
        department(),
        Event.ASSIGNED,
        "备选专家已用完，请补充专家",
        f"专家抽取记录 #{draw.pk}：{leaving.full_name}未能参加，备选专家已用完。请另行抽取或人工选择（须填写理由）。",
        reverse("reviews:draw_record", args=[draw.pk]),
    )


def assignment_withdrawn(review):
    app = review.application
    notify(
        [review.expert],
        Event.ASSIGNED,
        "评审任务已撤回",
        f"自治区工业和信息化厅已撤回申报书 {app.number} 的评审任务，您无需再评审。",
        reverse("reviews:expert_tasks"),
        app,
    )


def scoring_done(app):
    notify(
        department(),
        Event.SCORING_DONE,
        "专家评审已完成，待决定",
        f"{application_name(app)} 的全部专家已提交评分或回避。",
        review_url(app),
        app,
    )


def no_expert_left(app):
    notify(
        department(),
        Event.SCORING_DONE,
        "专家均已回避，请另行分配",
        f"{application_name(app)} 的已分配专家均已回避，请另行分配专家。",
        review_url(app),
        app,
    )


def decided(app, decision):
    if decision.supports:
        period = f"{decision.publicity_starts:%Y年%m月%d日} 至 {decision.publicity_ends:%Y年%m月%d日}"
        body = f"{application_name(app)} 拟支持，奖补资金 {decision.amount} 万元；公示期 {period}。"
        title = "评审结果：拟支持，将进行公示"
    else:
        body = f"{application_name(app)} 不予支持。理由：{decision.reason}"
        title = "评审结果：不予支持"
    notify(applicants(app), Event.DECIDED, title, body, overview_url(app), app)
    notify(bureau(app.lead_region_id), Event.DECIDED, title, body, review_url(app), app)
    notify(participating_bureaus(app), Event.DECIDED, title, body, review_url(app), app)
    if decision.supports and decision.publicity_starts <= timezone.localdate():
        publicity_started(app, decision)


def publicity_started(app, decision):
    """公示 begins: the applicant and its 盟市 know; once per application."""
    period = f"{decision.publicity_starts:%Y年%m月%d日} 至 {decision.publicity_ends:%Y年%m月%d日}"
    body, key, event = (
        f"{application_name(app)} 拟支持项目公示期 {period}。",
        f"publicity-start:{app.pk}",
        Event.PUBLICITY_STARTED,
    )
    told = notify(applicants(app), event, "公示开始", body, overview_url(app), app, dedupe_key=key)
    told += notify(bureau(app.lead_region_id), event, "公示开始", body, review_url(app), app, dedupe_key=key)
    return len(told)


def publicity_over(app, decision):
    """公示 has run its course: the 自治区 must close it (立项) or handle an objection; once per end date."""
    told = notify(
        department(),
        Event.PUBLICITY_ENDED,
        "公示期已满，待立项",
        f"{application_name(app)} 公示期已于 {decision.publicity_ends:%Y年%m月%d日} 结束，无异议的请办理立项。",
        review_url(app),
        app,
        dedupe_key=f"publicity-end:{app.pk}:{decision.publicity_ends:%Y%m%d}",
    )
    return len(told)


def send_publicity_notices(today=None):
    """For the daily run: 公示 that began, and 公示 that ended and waits for 立项. Returns how many were sent."""
    from applications.models import Application, Status

    today = today or timezone.localdate()
    sent = 0
    publicising = Application.objects.filter(status=Status.PUBLICISING).select_related("decision", "lead_region")
    for app in publicising:
        decision = app.decision
        if decision.publicity_starts <= today:
            sent += publicity_started(app, decision)
        if decision.publicity_ends < today:
            sent += publicity_over(app, decision)
    return sent


def established(app):
    body = f"{application_name(app)} 公示期满无异议，已立项。"
    notify(applicants(app), Event.PUBLICITY_ENDED, "公示期满，已立项", body, overview_url(app), app)
    notify(bureau(app.lead_region_id), Event.PUBLICITY_ENDED, "公示期满，已立项", body, review_url(app), app)


def timetable_changed(call, changed):
    """The 自治区 moved stage deadlines (label -> new time): every 盟市, and experts with open tasks, are told."""
    if not changed:
        return
    from reviews.models import ExpertReview

    lines = "；".join(f"{label}调整为 {format_time(moment)}" for label, moment in changed.items())
    body = f"{call.name}：{lines}（以服务器时间为准）。"
    notify(
        User.objects.filter(role=Role.BUREAU, is_active=True),
        Event.DEADLINE_EXTENDED,
        "批次时间安排已调整",
        body,
        reverse("reviews:inbox"),
    )
    open_tasks = ExpertReview.objects.filter(application__call=call).pending()
    experts = User.objects.filter(pk__in=open_tasks.values("expert_id"))
    notify(experts, Event.DEADLINE_EXTENDED, "批次时间安排已调整", body, reverse("reviews:expert_tasks"))


def deadline_extended(extension):
    notify(
        bureau(extension.region_id),
        Event.DEADLINE_EXTENDED,
        "推荐截止时间已延长",
        f"{extension.call.name}：本盟市推荐截止时间延长至 {format_time(extension.recommend_until)}。"
        f"理由：{extension.reason}",
        reverse("reviews:inbox"),
    )


def objection_received(objection):
    """An 异议 to a 公示 arrived: the 自治区 must answer it before 立项 (who sent it stays on its page)."""
    app = objection.application
    notify(
        department(),
        Event.PUBLICITY_STARTED,
        "公示收到异议，待答复",
        f"{application_name(app)} 公示期间收到一条异议，请核实并答复；答复前不能立项。",
        reverse("reviews:decide", args=[app.pk]),
        app,
    )
