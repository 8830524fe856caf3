"""`record()`: the one function every caller uses to append an audit entry.

An action that cannot be audited must not happen (等保), so a failure to record raises; callers
record before they return their response, inside their own transaction where they have one.
"""

import ipaddress
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.chain import entry_hash, locked_head
from audit.middleware import current_request
from audit.models import AuditEntry, Result

# Labels for the codes this codebase records; other codes are shown as they are.
ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "lockout": "账号锁定",
    "password_change": "修改密码",
    "transition": "流程流转",
    "download": "下载",
    "export": "导出",
    "official_regenerate": "重新生成正式文件",
    "audit_verify": "审计日志校验",
    "audit_prune": "审计日志清理",
    "view": "查看",
    "setting_change": "安全策略变更",
    "account_create": "创建账号",
    "account_update": "修改账号",
    "role_change": "变更角色",
    "password_reset": "重置密码",
    "account_disable": "停用账号",
    "account_enable": "启用账号",
    "account_unlock": "解锁账号",
    "region_change": "修改盟市信息",
    "call_change": "修改申报批次",
    "organisation_change": "修改申报单位状态",
    "registration_review": "审核单位注册",
    "registration_update": "修改单位注册信息",
    # The second factor (accounts/two_factor.py)
    "otp_enrol": "绑定动态口令",
    "otp_verify": "动态口令验证",
    "otp_failed": "动态口令验证失败",
    "otp_recovery_used": "使用恢复码登录",
    "otp_disable": "停用动态口令",
    "otp_reset": "重置动态口令",
    "recovery_codes_regenerated": "重新生成恢复码",
    "otp_lockout": "动态口令错误过多暂停验证",
    "access_refused": "拒绝访问",  # audit/refusals.py: 404 out of scope, 403, 405, CSRF, refused steps and uploads
    # Registration and review steps that are not workflow moves (accounts/registration.py, reviews/)
    "registration": "单位注册",
    "conflict_declare": "利益冲突声明",
    "score_save": "暂存评分",
    "score_submit": "提交评分",
    "expert_assign": "分配评审专家",
    "expert_withdraw": "撤回专家分配",
    "site_visit": "记录实地核实",
    # 专家库 and 随机抽取 (reviews/pool.py, reviews/draws.py, reviews/invitations.py)
    "expert_pool_add": "专家入库",
    "expert_pool_update": "修改专家库信息",
    "expert_pause": "暂停专家",
    "expert_resume": "恢复专家",
    "expert_pool_import": "导入专家库",
    "expert_draw": "随机抽取专家",
    "expert_draw_reproduce": "复核专家抽取",
    "expert_decline": "专家谢绝邀请",
    "expert_expired": "专家逾期未答复",
    "expert_replace": "递补备选专家",
    "group_leader": "指定评审组组长",
    "countersign": "参与盟市会签",
    "deadline_extend": "延长盟市推荐截止时间",
    # 公示 and its 异议 (reviews/objections.py, portal's public 公示 page)
    "objection_submit": "提交异议",
    "objection_answer": "答复异议",
    "objection_throttled": "提交异议过于频繁被拒",
    # Registration and sign-in refusals (accounts/views/registration.py, security/backends.py)
    "registration_refused": "注册被拒（信用代码已被占用）",
    "registration_throttled": "注册过于频繁被拒",
    "login_disabled": "停用账号尝试登录",
}
USER_AGENT_MAX = 300

# What an entry's object is, in Chinese: a model's name (as `record()` stores it) or a caller's own type.
OBJECT_TYPE_LABELS = {
    "application": "申报书",
    "version": "申报版本",
    "attachment": "附件",
    "transition": "流转记录",
    "organisation": "申报单位",
    "user": "账号",
    "region": "盟市",
    "call": "申报批次",
    "schemarevision": "申报书结构版本",
    "deadlineextension": "推荐截止时间延长",
    "expertreview": "专家评审",
    "expertprofile": "专家库",
    "expertdraw": "专家抽取记录",
    "sitevisit": "实地核实",
    "countersign": "会签意见",
    "sitevisitphoto": "核实照片",
    "recommendation": "推荐文件",
    "decision": "评审决定",
    "objection": "异议",
    "review_results": "评审结果汇总表",
    "publicity_text": "公示文本",
    "establishment_list": "立项清单",
    "officialdocument": "正式文件",
    "documentjob": "文档生成任务",
    "securitypolicy": "安全策略",
    "audit": "审计日志",
    "summary": "汇总表",
    "recommendation_list": "推荐清单",
}

# The keys callers put in `detail`, in Chinese, for the entry's page; other keys are shown as they are.
DETAIL_LABELS = {
    "application": "申报书内部编号",
    "number": "申报编号",
    "version": "版本",
    "versions": "对比版本",
    "page": "页面",
    "document": "文件类别",
    "format": "格式",
    "kind": "文件类别",
    "slot": "附件类别",
    "transition": "流转记录编号",
    "code": "代码",
    "from": "原状态",
    "to": "新状态",
    "reason_chars": "理由字数",
    "content_chars": "异议内容字数",
    "response_chars": "处理意见字数",
    "attachment": "有附件",
    "result": "核实结果",
    "statement_chars": "说明字数",
    "changed_fields": "修改的字段",
    "old_status": "原状态",
    "status": "状态",
    "approved": "审核通过",
    "conflict": "存在利益冲突",
    "total": "总分",
    "scored": "已评分项数",
    "problems": "待改正项数",
    "expert": "评审专家",
    "excluded": "规则回避",
    "visited_on": "核实日期",
    "photos": "照片张数",
    "agrees": "会签同意",
    "region": "盟市",
    "call": "申报批次",
    "until": "延长至",
    "filters": "筛选条件",
    "name_filter_chars": "名称筛选字数",
    "job": "任务编号",
    "official_document": "正式文件编号",
    "username": "用户名",
    "reason": "原因",
    "limit": "上限",
    "counted": "计数项目",
    "retry_at": "可再试时间",
    "credit_code": "统一社会信用代码",
    "registered_region": "已注册单位的盟市",
    "changes": "修改内容",
    "role": "角色",
    "count": "条数",
    "tail_hash": "链尾哈希",
    # 专家库 and 随机抽取 (reviews/pool.py, reviews/draws.py, reviews/invitations.py, reviews/group.py)
    "fields": "专业领域数",
    "ties": "关联单位数",
    "created": "新增",
    "updated": "更新",
    "applications": "申报书内部编号",
    "numbers": "申报编号",
    "experts": "抽取人数",
    "reserves": "备选人数",
    "workload_cap": "在审任务上限",
    "pool": "专家库人数",
    "eligible": "符合条件人数",
    "excluded_count": "按规则排除人数",
    "seed": "随机种子",
    "same": "复核一致",
    "draw": "专家抽取记录",
    "replaced": "被递补专家",
    "position": "备选序号",
    "skipped": "跳过的备选专家",
    "manual_reason_chars": "人工选择理由字数",
    "changed": "更换",
    # Refusals (audit/refusals.py)
    "refusal": "拒绝类型",
    "method": "请求方式",
    "path": "请求地址",
    "step": "操作步骤",
    "view": "页面",
    "allowed": "允许的请求方式",
    "repeats_before": "此前同类拒绝（已合并计数）",
    "suppressed_before": "此前超限未逐条记录的拒绝",
    "ceiling": "每时段记录上限",
    "window_seconds": "时段（秒）",
}
# The refusal kinds an access_refused entry names (audit/refusals.py records them; the pages label them).
REFUSAL_KINDS = {
    "out_of_scope": "越权访问（对象不在权限范围内）",
    "forbidden": "无权操作",
    "not_found": "页面或对象不存在",
    "method": "请求方式不允许",
    "csrf": "安全校验失败（CSRF）",
    "workflow": "流程操作被拒绝",
    "upload": "上传被拒绝",
    "flood": "拒绝过多，暂停逐条记录",
}
# Detail values that are codes, shown with their labels.
DETAIL_VALUE_LABELS = {"refusal": REFUSAL_KINDS}


def action_label(code):
    return ACTION_LABELS.get(code, code)


def object_type_label(code):
    return OBJECT_TYPE_LABELS.get(code, code)


def detail_label(key):
    return DETAIL_LABELS.get(key, key)


def detail_value(value, key=""):
    """A detail value as the pages show it: a code with its label, 是/否, a list joined, nothing as —;
    anything else as stored."""
    if key in DETAIL_VALUE_LABELS and isinstance(value, str):
        return DETAIL_VALUE_LABELS[key].get(value, value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or "—"
    return value


def object_label(obj):
    """What an entry may say about its object: the model's `audit_label` (a 申报编号, a credit code, a code, a
    username — never applicant text, a file name or an opinion), else its kind and id. Never str(obj), which
    for an application is its cluster name and for an attachment its file name (docs/audit.md)."""
    label = getattr(obj, "audit_label", None)
    return str(label) if label else f"{obj._meta.verbose_name} #{obj.pk}"


def client_ip(request):
    """The client address as axes sees it (honouring the trusted proxy count), normalised."""
    from axes.helpers import get_client_ip_address

    raw = get_client_ip_address(request) or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return ""


def record(
    action,
    *,
    request=None,
    user=None,
    obj=None,
    object_type="",
    object_id="",
    object_repr="",
    result=Result.SUCCESS,
    detail=None,
    username="",
):
    """Append one entry to the chain and return it. `obj` fills the object fields from a model instance;
    `user` defaults to the request's signed-in user; `username` names someone who is not (a failed login).
    Without `request`, the request being served (audit.middleware) supplies the user, IP and user agent.
    The label of `obj` is `object_label(obj)`'s, the one rule: a caller cannot name the object another way."""
    if obj is not None and object_repr:
        raise ValueError("record(): an object's label comes from object_label(obj), not from the caller.")
    if request is None:
        request = current_request.get()
    if user is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        user = request.user
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        object_repr = object_label(obj)
    # What is hashed must be what the database gives back: plain JSON types only.
    detail = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    entry = AuditEntry(
        user=user,
        username=(user.get_username() if user else username)[:150],
        role=getattr(user, "role", "") or "",
        ip=client_ip(request) if request is not None else "",
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX] if request is not None else "",
        action=action[:40],
        object_type=object_type[:40],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        result=result,
        detail=detail,
    )
    with transaction.atomic():
        head = locked_head()
        entry.seq = head.last_seq + 1
        entry.prev_hash = head.last_hash
        entry.at = timezone.now()
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry
