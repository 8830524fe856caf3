"""Demo records for `seed_demo` in review states, so every official has work waiting on first login.

One 包头 application waits for the 包头 bureau's 初审; one 鄂尔多斯 application, checked on site and
recommended, waits for the 自治区 to accept it and assign experts. Both go through the real workflow
functions, so their versions, hashes, transitions and notifications are what production would hold.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role, User
from applications import demo, demo_clusters, submission
from applications.attachments import add_attachment
from applications.records import start_application
from calls.models import Call
from calls.schema.rules import condition_holds
from reviews import initial_review
from reviews.models import ExpertProfile

# Each its own cluster, figures and 绩效目标表, laid over COMPLETE's common answers (applications/demo_clusters.py).
WAITING_FOR_BUREAU = demo_clusters.NEW_ENERGY_EQUIPMENT
WAITING_FOR_REGION = demo_clusters.COAL_CHEMICALS


# The demo experts' 专家库 entries (reviews/pool.py): enough matching fields to draw 2 + 1 for 鄂尔多斯.
DEMO_POOL = {
    "expert01": ("正高级工程师", ["coal_chemicals", "chemicals"]),
    "expert02": ("教授", ["economics"]),
    "expert03": ("高级工程师", ["digital", "economics"]),
    "expert04": ("正高级工程师", ["rare_earth", "new_materials"]),
}


def load_demo_pool():
    for username, (title, fields) in DEMO_POOL.items():
        expert = User.objects.filter(username=username, role=Role.EXPERT).first()
        if expert is None or ExpertProfile.objects.filter(expert=expert).exists():
            continue
        profile = ExpertProfile(expert=expert, title=title)
        profile.fields = fields
        profile.save()


def load_demo_reviews(waiting_for_bureau, waiting_for_region, recommending_bureau):
    """Submit (once) the 包头 application and submit and recommend the 鄂尔多斯 one; fill the 专家库."""
    load_demo_pool()
    call = Call.objects.get(code="cluster-2024")
    baotou = _submitted(call, User.objects.get(username=waiting_for_bureau), WAITING_FOR_BUREAU)
    ordos = _submitted(call, User.objects.get(username=waiting_for_region), WAITING_FOR_REGION)
    if ordos and ordos.awaits_bureau:
        bureau = User.objects.get(username=recommending_bureau, role=Role.BUREAU)
        initial_review.record_site_visit(
            ordos,
            bureau,
            timezone.localdate(),
            "乔建华、白露（鄂尔多斯市工业和信息化局）",
            "现场查看了集群主要企业生产经营情况，核对了产值、研发投入等数据的统计来源，与申报材料一致。",
        )
        sealed = SimpleUploadedFile("推荐文件（盖章）.pdf", demo.demo_pdf("shenbao demo: recommendation"))
        initial_review.recommend(ordos, bureau, "经实地核实，申报材料真实，同意推荐。", sealed)
    return baotou, ordos


def _submitted(call, user, overrides):
    if call.applications.filter(organisation=user.organisation).exists():
        return None
    application = start_application(user, call)
    application.data.update({**demo.COMPLETE, **overrides})
    application.save()
    schema = call.schema
    for slot in schema.slots:
        if slot.required or (slot.required_when and condition_holds(schema, slot.required_when, application.data)):
            upload = SimpleUploadedFile(f"{slot.label}.pdf", demo.demo_pdf(f"shenbao demo: {slot.key}"))
            add_attachment(application, slot.key, upload, user)
    submission.submit(application, user)
    application.refresh_from_db()
    return application
