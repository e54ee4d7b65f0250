"""Run one reminder sweep now, send what it claimed in this process, and print what was sent.

    python manage.py send_reminders [--limit 5000] [--enqueue]

For operators: the same sweep Celery beat runs every few minutes (replications.reminders), safe to run
while beat and the workers run too. A reminder whose send fails keeps its error and is released, so the
next sweep tries it again. With --enqueue the claims go to the Celery workers, as beat's sweep does.
"""

from django.core.management.base import BaseCommand

from replications import reminders
from replications.models import Reminder
from replications.tasks import enqueue_sends


class Command(BaseCommand):
    help = "Run one reminder sweep now and send the due reminders from this process."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=5000, help="at most this many reminders")
        parser.add_argument("--enqueue", action="store_true", help="hand the claims to the Celery workers")

    def handle(self, *args, limit: int, enqueue: bool, **options):
        result = reminders.sweep(limit=limit, enqueue=enqueue_sends if enqueue else None)
        self.stdout.write(
            f"due: {result.rounds} round(s), {result.proposals} proposal(s), "
            f"{result.milestones} milestone(s); claimed {len(result.claimed)} reminder(s)"
        )
        if enqueue:
            return
        sent = 0
        for reminder_id, token in result.claimed:
            try:
                outcome = reminders.deliver(reminder_id, token)
            except Exception as error:
                reminders.release(reminder_id, token, error)
                self.stderr.write(f"FAILED  {reminder_id}: {type(error).__name__}: {error}")
                continue
            reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
            self.stdout.write(
                f"{outcome.upper():<9} {reminder.key} -> {reminder.recipient.email or '(in-app)'}"
            )
            sent += outcome == reminders.SENT
        self.stdout.write(self.style.SUCCESS(f"sent {sent} reminder(s)"))
