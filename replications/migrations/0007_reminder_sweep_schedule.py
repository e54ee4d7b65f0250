"""The reminder sweep's beat entry (django-celery-beat, editable in admin) and the global reminder settings."""

import json

from django.db import migrations

TASK_NAME = "replications: sapuan pengingat"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    ReminderSettings = apps.get_model("replications", "ReminderSettings")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "replications.sweep_reminders",
            "interval": every_five_minutes,
            "kwargs": json.dumps({"limit": 5000}),
            "queue": "default",
            "expire_seconds": 240,  # a sweep still queued when the next one is due is dropped
            "description": "Membuat pengingat yang jatuh tempo, mengklaimnya, dan mengantrekan pengirimannya.",
        },
    )
    ReminderSettings.objects.get_or_create(pk=1)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("replications", "0006_reminder_engine"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
