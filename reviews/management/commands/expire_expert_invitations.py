"""Run from cron every few minutes: invitations of drawn experts not answered by their time limit count as
declined, and the next reserve of each draw is invited (reviews/invitations.py)."""

from django.core.management.base import BaseCommand

from reviews.invitations import expire_overdue


class Command(BaseCommand):
    help = "逾期未答复的专家邀请视为谢绝，并自动递补备选专家。"

    def handle(self, *args, **options):
        count = expire_overdue()
        self.stdout.write(f"逾期未答复的专家：{count} 名，已按顺序递补备选专家。")
