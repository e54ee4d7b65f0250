from django.db import migrations


def load(apps, schema_editor):
    from innovations.reference import load_kipp_editions, load_sdgs

    load_sdgs(apps.get_model("innovations", "SDG"))
    load_kipp_editions(apps.get_model("innovations", "KippEdition"))


class Migration(migrations.Migration):
    dependencies = [("innovations", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
