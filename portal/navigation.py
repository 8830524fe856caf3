"""The navigation each role sees: one list per role, so a menu never offers a refused page."""

from accounts.models import Role

MENUS = {
    Role.APPLICANT: [("portal:home", "我的申报")],
    Role.BUREAU: [
        ("portal:home", "工作台"),
        ("reviews:inbox", "申报审核"),
        ("accounts:organisation_list", "申报单位注册审核"),
        ("dashboards:index", "统计分析"),
        ("documents:summary", "汇总表"),
        ("documents:recommendation_list", "推荐清单"),
    ],
    Role.DEPARTMENT: [
        ("portal:home", "工作台"),
        ("reviews:inbox", "申报审核"),
        ("reviews:pool", "专家库"),
        ("accounts:organisation_list", "申报单位"),
        ("regions:list", "盟市"),
        ("authoring:list", "申报批次"),
        ("dashboards:index", "统计分析"),
        ("documents:summary", "汇总表"),
    ],
    Role.EXPERT: [("reviews:expert_tasks", "评审任务")],
    Role.SYSTEM_ADMIN: [
        ("portal:home", "工作台"),
        ("accounts:account_list", "账号管理"),
        ("accounts:organisation_list", "申报单位"),
        ("regions:list", "盟市"),
    ],
    Role.SECURITY_ADMIN: [("portal:home", "安全策略"), ("security:policy", "设置安全策略")],
    Role.AUDIT_ADMIN: [("portal:home", "登录日志"), ("audit:list", "审计日志")],
}


def menu_for(user):
    if not user.is_authenticated:
        return []
    return MENUS.get(user.role, [])
