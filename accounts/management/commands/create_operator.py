"""Create one of the three 三员分立 operator accounts at deployment time."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.administration import create_operator
from accounts.models import OPERATOR_ROLES


class Command(BaseCommand):
    help = "Create a 系统管理员, 安全管理员 or 审计管理员 account. The password is read from the terminal or stdin."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=[role.value for role in OPERATOR_ROLES])
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args, role, username, full_name, email, **options):
        if sys.stdin.isatty():
            password = getpass.getpass("密码 Password: ")
            if password != getpass.getpass("确认密码 Password again: "):
                raise CommandError("两次输入的密码不一致。")
        else:
            password = sys.stdin.readline().rstrip("\n")
        try:
            user = create_operator(username, role, full_name, email, password)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        self.stdout.write(f"已创建 {user.get_role_display()} 账号 {user.username}。")
