from django.db import migrations


def load(apps, schema_editor):
    from regions.reference import load_regions

    load_regions(apps.get_model("regions", "Province"), apps.get_model("regions", "Regency"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
