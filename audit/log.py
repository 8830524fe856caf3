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
}
USER_AGENT_MAX = 300


def action_label(code):
    return ACTION_LABELS.get(code, code)


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
    Without `request`, the request being served (audit.middleware) supplies the user, IP and user agent."""
    if request is None:
        request = current_request.get()
    if user is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        user = request.user
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
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
