"""The search index's catch-up as a beat entry (django-celery-beat, editable in admin): a safety net
for text written outside the ORM; writes through it send the task themselves after they commit."""

from django.db import migrations

TASK_NAME = "inovasi: indeks pencarian"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "innovations.catch_up_search_index",
            "interval": every_minute,
            "queue": "default",
            "expire_seconds": 50,
            "description": "Memasukkan teks inovasi yang baru diubah ke indeks pencarian, per kelompok.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("innovations", "0013_search_backlog"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
