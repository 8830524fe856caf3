"""Refused access as audit entries (拒绝访问), folded so that a flood cannot bloat the chain.

Every refusal the site answers is one `access_refused` entry with result 拒绝: a 404 for a page or an
object that does not exist, or exists outside the user's scope (answered with the same 404, so its
existence does not leak), a 403, a 405, a CSRF failure, and the workflow steps and uploads the views
refuse. `RefusalMiddleware` records each 403, 404 and 405 response whoever produced it; a view that
records its own refusal (`refused()`) marks the request, and the middleware leaves it.

The detail holds `refusal` (the kind, one of KINDS), `method`, `path` (the path, and the query's parameter
names without their values), `reason` — a sentence written here or by a view, never text someone typed and
never a file name — and, where it helps, a reason `code`.

Folding (numbers from settings, docs/security.md):
- per key (kind, who, path without query): the first refusal in a window of
  SHENBAO_AUDIT_REFUSAL_WINDOW seconds (600) writes an entry; repeats inside the window only add to a
  counter in the cache (Redis in production), and the next entry written for that key says how many
  were folded (`repeats_before`). "Who" is the signed-in account, or the address for a visitor.
- per source (the same "who"), across keys: at most SHENBAO_AUDIT_REFUSAL_CEILING (30) entries a
  window; the next new key writes one `flood` entry, and the rest of that window is counted, not
  written; the source's next entry says how many went unwritten (`suppressed_before`).
A count waits for its next entry for at most CARRY_SECONDS. The cache holds a few keys per source
and, past the ceiling, nothing per path: scanning random URLs grows neither the chain nor the cache.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware import csrf as django_csrf

from audit.log import REFUSAL_KINDS, client_ip, record
from audit.models import Result

ACTION = "access_refused"

NOT_FOUND = "not_found"
OUT_OF_SCOPE = "out_of_scope"
FORBIDDEN = "forbidden"
METHOD = "method"
CSRF = "csrf"
WORKFLOW = "workflow"
UPLOAD = "upload"
FLOOD = "flood"

KINDS = REFUSAL_KINDS
REASONS = {
    OUT_OF_SCOPE: "对象存在，但不在本账号的权限范围内；已按“不存在”答复，未透露其存在。",
    FORBIDDEN: "本账号的角色或对象当前的状态不允许此操作。",
    NOT_FOUND: "访问的页面或对象不存在。",
    METHOD: "该地址不接受这种请求方式。",
    CSRF: "表单的安全校验失败，请求未被执行。",
    WORKFLOW: "流程规则不允许此操作，或所填内容未通过检查；未作任何修改。",
    UPLOAD: "上传的文件未被接收（文件类型、大小、内容或申报书状态不符合要求），未保存。",
}
STATUS_KINDS = {403: FORBIDDEN, 404: NOT_FOUND, 405: METHOD}

# Django's CSRF failure reasons (django.middleware.csrf) as codes; some quote the Origin or Referer sent.
CSRF_REASONS = {
    "no_cookie": "浏览器没有带回安全校验 Cookie（CSRF Cookie 未设置）。",
    "token_missing": "表单缺少安全校验码（CSRF token）。",
    "token_incorrect": "表单的安全校验码（CSRF token）不正确或已过期。",
    "bad_origin": "请求来源（Origin）不是本站。",
    "no_referer": "HTTPS 请求没有来源页（Referer）。",
    "malformed_referer": "请求的来源页（Referer）格式不正确。",
    "insecure_referer": "HTTPS 请求的来源页（Referer）不安全。",
    "bad_referer": "请求的来源页（Referer）不是本站。",
    "other": "安全校验失败。",
}

PATH_MAX = 300
REASON_MAX = 200
VALUE_MAX = 100
CARRY_SECONDS = 7 * 24 * 60 * 60
RECORDED = "_shenbao_refusal_recorded"
RAISED = "_shenbao_refusal_raised"

logger = logging.getLogger(__name__)


class OutOfScope(Http404):
    """A 404 for an object that exists but is not the user's (raised through accounts.scoping): the page
    is the very one a missing object gets; only the audit entry names the object."""

    def __init__(self, object_type, object_id, message=""):
        super().__init__(message)
        self.object_type, self.object_id = object_type, str(object_id)


class Forbidden(PermissionDenied):
    """A 403 that names the object refused, for the audit entry; the page shows `message` as any 403."""

    def __init__(self, message="", *, obj=None):
        super().__init__(message)
        self.object_type = obj._meta.model_name if obj is not None else ""
        self.object_id = str(obj.pk) if obj is not None else ""


def kind_label(code):
    return KINDS.get(code, code)


def refused(request, kind, *, reason="", code="", obj=None, object_type="", object_id="", detail=None):
    """Record that `request` was refused (kind: one of KINDS) and mark it, so the middleware does not record
    it again. Returns the entry written, or None when the refusal was folded into a count.

    `reason` is a short sentence of ours (never what someone typed, never a file name; the kind's own
    sentence if empty); `code` a short reason code; `detail` more plain values (bounded here).

    The refusal stands whatever happens here: if the cache or the database cannot take the entry, the
    error goes to the server log (for monitoring to alert on) and the person still gets the refusal page
    rather than a 500. Nothing was done that needed the entry — unlike an action, which record() stops."""
    setattr(request, RECORDED, True)
    try:
        return _fold(request, kind, reason, code, obj, object_type, object_id, detail)
    except Exception:
        logger.exception("refused access not recorded: %s %s (%s)", request.method, request.path[:PATH_MAX], kind)
        return None


def _fold(request, kind, reason, code, obj, object_type, object_id, detail):
    who = _who(request)
    key = _key("key", kind, who, request.path)
    if cache.get(key) is not None:  # written already in this window: only count it
        _count(_key("folded", kind, who, request.path), CARRY_SECONDS)
        return None
    window = settings.SHENBAO_AUDIT_REFUSAL_WINDOW
    ceiling = settings.SHENBAO_AUDIT_REFUSAL_CEILING
    written = _count(_key("written", who), window)
    if written > ceiling:
        if written == ceiling + 1:
            minutes = f"{window / 60:g}"
            flood = f"同一来源 {minutes} 分钟内被拒绝超过 {ceiling} 次，本时段其余的拒绝只计数、不逐条记录。"
            return _write(request, FLOOD, flood, "", {"ceiling": ceiling, "window_seconds": window})
        _count(_key("suppressed", who), CARRY_SECONDS)
        return None
    if not cache.add(key, 1, window):  # another request wrote this key's entry a moment ago
        _count(_key("folded", kind, who, request.path), CARRY_SECONDS)
        return None
    extra = {name: _plain(value) for name, value in (detail or {}).items()}
    if repeats := _take(_key("folded", kind, who, request.path)):
        extra["repeats_before"] = repeats
    if suppressed := _take(_key("suppressed", who)):
        extra["suppressed_before"] = suppressed
    return _write(request, kind, reason or REASONS.get(kind, ""), code, extra, obj, object_type, object_id)


def csrf_refused(request, reason):
    """A CSRF failure (portal.views.csrf_failure): Django's reason as a code, never the Origin it quotes."""
    code = csrf_code(reason)
    return refused(request, CSRF, reason=CSRF_REASONS[code], code=code)


def csrf_code(reason):
    reason = reason or ""
    if reason == django_csrf.REASON_NO_CSRF_COOKIE:
        return "no_cookie"
    if reason == django_csrf.REASON_CSRF_TOKEN_MISSING:
        return "token_missing"
    if reason.startswith("CSRF token"):  # from POST / from the header: incorrect, wrong length, bad characters
        return "token_incorrect"
    if reason.startswith("Origin checking failed"):
        return "bad_origin"
    if reason == django_csrf.REASON_NO_REFERER:
        return "no_referer"
    if reason == django_csrf.REASON_MALFORMED_REFERER:
        return "malformed_referer"
    if reason == django_csrf.REASON_INSECURE_REFERER:
        return "insecure_referer"
    if reason.startswith("Referer checking failed"):
        return "bad_referer"
    return "other"


class RefusalMiddleware:
    """Records every 403, 404 and 405 response as a refusal, unless its view recorded the refusal itself.

    After the authentication middleware (the entry names the user); a view's Http404 or PermissionDenied
    is kept by process_exception, so an OutOfScope 404 is recorded as out of scope with its object, and
    a 403 with the sentence it was refused with."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        kind = STATUS_KINDS.get(response.status_code)
        if kind is not None and not getattr(request, RECORDED, False):
            _record_response(request, response, kind)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            setattr(request, RAISED, exception)


def _record_response(request, response, kind):
    raised = getattr(request, RAISED, None)
    reason, object_type, object_id = "", "", ""
    if isinstance(raised, OutOfScope):
        kind, object_type, object_id = OUT_OF_SCOPE, raised.object_type, raised.object_id
    elif kind == FORBIDDEN and isinstance(raised, PermissionDenied):
        # Our PermissionDenied sentences are written in the code and quote nothing anyone typed.
        reason = str(raised)
        object_type, object_id = getattr(raised, "object_type", ""), getattr(raised, "object_id", "")
    detail = {"status": response.status_code}
    if match := getattr(request, "resolver_match", None):
        detail["view"] = match.view_name
    if kind == METHOD:
        detail["allowed"] = response.get("Allow", "")
    refused(request, kind, reason=reason, object_type=object_type, object_id=object_id, detail=detail)


def _write(request, kind, reason, code, extra, obj=None, object_type="", object_id=""):
    detail = {
        "refusal": kind,
        "method": request.method[:10],
        "path": recorded_path(request),
        "reason": reason[:REASON_MAX],
        **extra,
    }
    if code:
        detail["code"] = str(code)[:VALUE_MAX]
    return record(
        ACTION,
        request=request,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        result=Result.REFUSED,
        detail=detail,
    )


def recorded_path(request):
    """The path, and the names of the query's parameters without their values: a search for a cluster's name
    (`?name=…`) must not put the name into the log."""
    names = list(dict.fromkeys(request.GET.keys()))
    query = "&".join(f"{name[:VALUE_MAX]}=…" for name in names)
    return f"{request.path}?{query}"[:PATH_MAX] if query else request.path[:PATH_MAX]


def _plain(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)[:VALUE_MAX]


def _who(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def _key(*parts):
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]
    return f"audit-refusal:{parts[0]}:{digest}"


def _count(key, timeout):
    """Add one to a counter that lives `timeout` seconds from its first count; the new value."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between the two calls
        cache.set(key, 1, timeout)
        return 1


def _take(key):
    """The counter's value, taken away (later counts are kept), and its life renewed."""
    count = cache.get(key) or 0
    if count:
        try:
            cache.decr(key, count)
            cache.touch(key, CARRY_SECONDS)
        except ValueError:
            pass
    return count
