"""Reset a 三员 operator's second factor from the server's shell, the only place that may (三员分立)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts import two_factor
from accounts.models import User


class Command(BaseCommand):
    help = "Remove an operator's authenticator and recovery codes; they bind a new one at the next sign-in. Audited."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--reason", required=True, help="why, e.g. the work order number; kept in the audit log")

    def handle(self, *args, username, reason, **options):
        if not reason.strip():
            raise CommandError("请填写重置原因。")
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"账号 {username} 不存在。")
        try:
            two_factor.reset_operator(account, reason.strip())
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已重置 {account.get_role_display()} {account.username} 的动态口令，下次登录时须重新绑定。")
