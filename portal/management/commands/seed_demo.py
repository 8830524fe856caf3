"""Load demo data: the open 2024 call, the 2025 call and an example project call beside it (authoring/demo.py),
demo organisations and one account per role. Safe to rerun.

In portal, the top app, because it loads every app's demo records (applications, reviews, authoring)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.administration import unlock_account
from accounts.models import Organisation, Role, User
from accounts.validators import credit_code_check_character
from applications.demo import load_demo_applications
from authoring.demo import load_demo_calls
from calls.models import Call
from regions.models import Region
from reviews.demo import load_demo_reviews

QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"
QUIET_SMS = "notifications.sms.SilentSender"
DEMO_PASSWORD = "Shenbao#2024"  # noqa: S105 -- demo accounts only; the command refuses to run in production


def demo_credit_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


ORGANISATIONS = [
    {
        "credit_code": demo_credit_code("51150200MJ0000001"),
        "name": "包头稀土新材料产业集群促进会",
        "legal_representative": "王建国",
        "address": "内蒙古自治区包头市稀土高新区黄河大街 8 号",
        "region": "150200",
        "contact_name": "李晓燕",
        "contact_mobile": "13904720001",
        "email": "cluster@example.com",
        "status": Organisation.Status.APPROVED,
    },
    {
        "credit_code": demo_credit_code("52150200MJ0000002"),
        "name": "包头装备制造产业集群发展促进中心",
        "legal_representative": "赵志强",
        "address": "内蒙古自治区包头市青山区装备制造产业园区 12 号",
        "region": "150200",
        "contact_name": "张敏",
        "contact_mobile": "13904720002",
        "email": "equipment@example.com",
        "status": Organisation.Status.PENDING,
    },
    {
        "credit_code": demo_credit_code("51150500MJ0000003"),
        "name": "通辽铝基新材料产业集群促进会",
        "legal_representative": "马志远",
        "address": "内蒙古自治区通辽市霍林郭勒市工业园区 3 号",
        "region": "150500",
        "contact_name": "孙丽",
        "contact_mobile": "13904750003",
        "email": "aluminium@example.com",
        "status": Organisation.Status.APPROVED,
    },
    {
        "credit_code": demo_credit_code("51150200MJ0000004"),
        "name": "包头新能源装备制造产业集群促进会",
        "legal_representative": "高建平",
        "address": "内蒙古自治区包头市九原区新能源装备产业园 6 号",
        "region": "150200",
        "contact_name": "高峰",
        "contact_mobile": "13904720011",
        "email": "energy@example.com",
        "status": Organisation.Status.APPROVED,
    },
    {
        "credit_code": demo_credit_code("51150600MJ0000005"),
        "name": "鄂尔多斯现代煤化工产业集群促进会",
        "legal_representative": "白志刚",
        "address": "内蒙古自治区鄂尔多斯市准格尔旗大路工业园区 2 号",
        "region": "150600",
        "contact_name": "白云飞",
        "contact_mobile": "13904770021",
        "email": "coalchem@example.com",
        "status": Organisation.Status.APPROVED,
    },
]

STAFF = [
    ("baotou", Role.BUREAU, "刘海涛", "150200", "包头市工业和信息化局"),
    ("ordos", Role.BUREAU, "乔建华", "150600", "鄂尔多斯市工业和信息化局"),
    ("tongliao", Role.BUREAU, "何建军", "150500", "通辽市工业和信息化局"),
    ("gxt", Role.DEPARTMENT, "陈静", None, "内蒙古自治区工业和信息化厅"),
    ("expert01", Role.EXPERT, "周明远", "150100", "内蒙古工业大学"),
    ("expert02", Role.EXPERT, "吴晓东", "150400", "赤峰学院"),
    ("expert03", Role.EXPERT, "郑丽华", "150100", "内蒙古自治区工业和信息化研究院"),
    ("expert04", Role.EXPERT, "韩志勇", "150200", "包头稀土研究院"),
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员", None, ""),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员", None, ""),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员", None, ""),
]


class Command(BaseCommand):
    help = "Load the demo call, organisations and one account per role (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo loads demo accounts with known passwords; it never runs in production.")
        # Demo records go through the real workflow, which notifies people in the app; no e-mail or
        # text message leaves for the demo's example.com addresses and made-up mobile numbers.
        with override_settings(EMAIL_BACKEND=QUIET_MAIL, SHENBAO_SMS_SENDER=QUIET_SMS), transaction.atomic():
            cluster_2024 = self.open_call()
            rows = self.organisations() + self.staff()
            load_demo_calls(User.objects.get(username="gxt"), cluster_2024)
            load_demo_applications(ORGANISATIONS[0]["credit_code"], ORGANISATIONS[2]["credit_code"])
            load_demo_reviews(ORGANISATIONS[3]["credit_code"], ORGANISATIONS[4]["credit_code"], "ordos")
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）  Demo accounts, all with that password:\n")
        for role, username, note in rows:
            self.stdout.write(f"  {username:<20}{role}：{note}")
        self.stdout.write(
            "\n工作人员账号（盟市工信局、自治区工信厅、评审专家及三员）首次登录时须绑定动态口令：用手机上的验证器"
            "（如微信或支付宝中的“动态口令”小程序、Google Authenticator）扫描页面上的二维码，以后每次登录再输入"
            "其中的 6 位验证码；申报单位可在“账号安全”中自愿启用。\n"
            "Staff accounts bind an authenticator app (TOTP) at first sign-in and type its code at every sign-in;"
            " applicants may opt in. See docs/two-factor.md."
        )
        self.stdout.write("")

    def open_call(self):
        call = Call.objects.get(code="cluster-2024")
        if call.phase() != Call.Phase.OPEN:
            today = timezone.localdate()
            tz = timezone.get_current_timezone()
            call.applicant_opens_at = datetime.combine(today - timedelta(days=7), time(9, 0), tz)
            call.applicant_closes_at = datetime.combine(today + timedelta(days=30), time(17, 30), tz)
            call.recommend_deadline = datetime.combine(today + timedelta(days=45), time(17, 30), tz)
            call.acceptance_deadline = datetime.combine(today + timedelta(days=60), time(17, 30), tz)
            call.scoring_deadline = datetime.combine(today + timedelta(days=75), time(17, 30), tz)
            call.is_published = True
            call.save()
        return call

    def organisations(self):
        rows = []
        for data in ORGANISATIONS:
            data = dict(data, region=Region.objects.get(code=data["region"]))
            organisation, _ = Organisation.objects.update_or_create(credit_code=data["credit_code"], defaults=data)
            if organisation.is_approved and not organisation.reviewed_at:
                organisation.reviewed_at = timezone.now()
                organisation.save(update_fields=["reviewed_at"])
            self.account(
                organisation.credit_code,
                Role.APPLICANT,
                organisation.contact_name,
                organisation=organisation,
                email=organisation.email,
                mobile=organisation.contact_mobile,
            )
            rows.append(
                ("申报单位", organisation.credit_code, f"{organisation.name}（{organisation.get_status_display()}）")
            )
        return rows

    def staff(self):
        rows = []
        for username, role, full_name, region_code, affiliation in STAFF:
            region = Region.objects.get(code=region_code) if region_code else None
            self.account(username, role, full_name, region=region, affiliation=affiliation)
            rows.append((role.label, username, affiliation or full_name))
        return rows

    def account(self, username, role, full_name, **fields):
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "full_name": full_name, "is_active": True, "must_change_password": False, **fields},
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        unlock_account(user)
        return user
