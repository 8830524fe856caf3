"""Run daily by cron (e.g. `0 9 * * *`): deadlines within three days, and 公示 that began or ended."""

from django.core.management.base import BaseCommand

from applications.reminders import send_deadline_reminders
from reviews.notices import send_publicity_notices


class Command(BaseCommand):
    help = "Remind applicants due within 3 days, and tell who must know that a 公示 began or ended (each once)."

    def handle(self, *args, **options):
        sent = send_deadline_reminders()
        self.stdout.write(f"已发送 {sent} 条截止提醒。")
        told = send_publicity_notices()
        self.stdout.write(f"已发送 {told} 条公示通知。")
