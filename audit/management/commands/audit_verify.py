from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链：发现被篡改、删除或插入的记录时指出序号并以状态 1 退出。"

    def handle(self, *args, **options):
        checked = verify()
        if not checked.ok:
            raise CommandError(checked.summary, returncode=1)
        self.stdout.write(checked.summary)
