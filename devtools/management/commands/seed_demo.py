from django.core.management.base import BaseCommand

from devtools.demo import seed_demo

ACTIONS = ("created", "updated", "linked")


class Command(BaseCommand):
    help = (
        "Load the demo data: agencies, innovations and KIPP awards, replication rounds, proposals with their "
        "letters, commitments and action plans, and the demo accounts. Idempotent; deletes nothing."
    )

    def handle(self, *args, **options) -> None:
        tally = seed_demo()
        labels = list(dict.fromkeys(label for label, _ in tally))
        if not labels:
            self.stdout.write("Demo data already up to date: nothing created or changed.")
            return
        for label in labels:
            counts = [f"{tally[label, action]} {action}" for action in ACTIONS if tally[label, action]]
            self.stdout.write(f"{label}: {', '.join(counts)}")
