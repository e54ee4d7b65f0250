"""A reminder's send is queued (``queued_at``, by the sweep) apart from started (``claimed_at``, by the
worker), so time in the queue never counts as a dead worker's; the sweep's beat entry names no queue of its
own any more and follows CELERY_TASK_ROUTES to the sweep's queue."""

from django.db import migrations, models

TASK = "replications.sweep_reminders"


def route_the_sweep(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK, queue="default").update(queue=None)


def back_to_default(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK, queue__isnull=True).update(queue="default")


class Migration(migrations.Migration):
    dependencies = [
        ("replications", "0009_round_deadlines_and_events"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="queued_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Saat sapuan mengklaimnya dan mengantrekan pengirimannya.",
                null=True,
                verbose_name="diantrekan pada",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="claimed_at",
            field=models.DateTimeField(
                blank=True, help_text="Saat pekerja mulai mengirimnya.", null=True, verbose_name="diklaim pada"
            ),
        ),
        migrations.RunPython(route_the_sweep, back_to_default),
    ]
