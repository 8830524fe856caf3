"""The public 公示 page (no login) and its 异议 form: what is 公示中, for how long, whom to contact.

Only applications in 公示 whose period has begun are shown (accounts.scoping.publicised), and only what a
公示 publishes (reviews/publicity.py). An 异议 is 实名, throttled per address (SHENBAO_OBJECTIONS_PER_HOUR,
every form posted counts), CSRF-protected like every form, and audited without its content.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from accounts import scoping
from applications.models import Application
from applications.workflow import WorkflowRefused
from audit.log import client_ip, record
from audit.models import Result
from reviews import objections, publicity
from reviews.objection_forms import ObjectionForm
from shenbao.lib.throttle import Throttle


def objection_throttle():
    return Throttle("objection", settings.SHENBAO_OBJECTIONS_PER_HOUR, timedelta(hours=1), doing="提交异议")


def _publicised(today):
    return scoping.publicised(Application.objects, today)


@require_safe
def publicity_page(request):
    today = timezone.localdate()
    context = {
        "groups": publicity.by_call(_publicised(today), today),
        "rules": publicity.objection_rules(),
        "contact": objections.contact(),
    }
    return render(request, "portal/publicity.html", context)


@require_http_methods(["GET", "POST"])
def objection(request, number):
    today = timezone.localdate()
    app = scoping.get_visible_or_404(_publicised(today), number=number)
    entry = publicity.entry(app, today)
    context = {"entry": entry, "rules": publicity.objection_rules(), "contact": objections.contact()}
    if request.method != "POST":
        return render(request, "portal/objection.html", {**context, "form": ObjectionForm()})
    throttle = objection_throttle()
    address = client_ip(request)
    decision = throttle.hit(address)
    if not decision:
        return _throttled(request, throttle, address, decision, context)
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid() and entry.is_open:
        data = form.cleaned_data
        try:
            objections.submit(
                app,
                name=data["name"],
                organisation=data["organisation"],
                phone=data["phone"],
                content=data["content"],
                uploaded_file=data["attachment"],
                file_type=form.attachment_type,
                request=request,
            )
        except WorkflowRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"您对 {entry.name} 的异议已提交。我厅将核实处理，并通过您留下的电话联系您。")
            return redirect("portal:publicity")
    elif not entry.is_open:
        form.add_error(None, "该项目不在公示期内，不能提出异议。")
    return render(request, "portal/objection.html", {**context, "form": form}, status=400)


def _throttled(request, throttle, address, decision, context):
    """429 with the form as typed and when to try again; the first refusal of the window is audited."""
    if throttle.first_refusal(address, decision):
        detail = {"limit": decision.limit, "retry_at": decision.retry_at, "reason": decision.message}
        record("objection_throttled", request=request, result=Result.REFUSED, detail=detail)
    typed = {name: request.POST.get(name, "") for name in ("name", "organisation", "phone", "content")}
    context = {**context, "form": ObjectionForm(initial=typed), "throttled": decision.message}
    response = render(request, "portal/objection.html", context, status=429)
    response["Retry-After"] = str(max(1, int((decision.retry_at - timezone.now()).total_seconds())))
    return response
