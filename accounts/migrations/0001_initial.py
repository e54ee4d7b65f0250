"""Memberships, user preferences and API tokens move here from the regions app, with their rows: the
tables, their constraints and indexes are renamed (regions_* to accounts_*), and their content types
follow, so permissions and admin history stay attached. regions.0005 then forgets the models."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ("membership", "userpreference", "apitoken")


def renames(old: str, new: str) -> str:
    """Each table, then every constraint and index named after it, from the ``old`` app to ``new``."""
    statements = []
    for model in MOVED:
        statements.append(f"""
        DO $$
        DECLARE item record;
        BEGIN
            FOR item IN SELECT conname FROM pg_constraint
                        WHERE conrelid = '{old}_{model}'::regclass AND conname LIKE '{old}\\_%' LOOP
                EXECUTE format('ALTER TABLE {old}_{model} RENAME CONSTRAINT %I TO %I',
                               item.conname, '{new}' || substr(item.conname, {len(old) + 1}));
            END LOOP;
            FOR item IN SELECT indexname FROM pg_indexes
                        WHERE tablename = '{old}_{model}' AND indexname LIKE '{old}\\_%' LOOP
                EXECUTE format('ALTER INDEX %I RENAME TO %I',
                               item.indexname, '{new}' || substr(item.indexname, {len(old) + 1}));
            END LOOP;
        END $$;
        ALTER TABLE {old}_{model} RENAME TO {new}_{model};
        """)
    return "".join(statements)


RENAME = renames("regions", "accounts")
RENAME_BACK = renames("accounts", "regions")


def move_content_types(apps, schema_editor, old="regions", new="accounts"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=new, model__in=MOVED).delete()
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="accounts", new="regions")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('regions', '0004_api_tokens'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RENAME, reverse_sql=RENAME_BACK)],
            state_operations=[
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Untuk apa token ini, mis. “Portal provinsi”.', max_length=100, verbose_name='nama')),
                        ('prefix', models.CharField(editable=False, max_length=12, verbose_name='awalan')),
                        ('digest', models.CharField(editable=False, max_length=64, unique=True, verbose_name='sidik SHA-256')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='terakhir dipakai')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='dicabut pada')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
                    ],
                    options={
                        'verbose_name': 'token API',
                        'verbose_name_plural': 'token API',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('user', 'name'), name='accounts_apitoken_active_name_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('regional_staff', 'Staf kabupaten/kota'), ('provincial_bureau', 'Biro Organisasi provinsi'), ('national_admin', 'Admin nasional (KemenPANRB)')], max_length=24, verbose_name='peran')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('province', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='regions.province', verbose_name='provinsi')),
                        ('regency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='regions.regency', verbose_name='kabupaten/kota')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
                    ],
                    options={
                        'verbose_name': 'keanggotaan',
                        'verbose_name_plural': 'keanggotaan',
                        'constraints': [models.CheckConstraint(condition=models.Q(('role__in', ['regional_staff', 'provincial_bureau', 'national_admin'])), name='accounts_membership_role_known'), models.CheckConstraint(condition=models.Q(models.Q(('province__isnull', True), ('regency__isnull', False), ('role', 'regional_staff')), models.Q(('province__isnull', False), ('regency__isnull', True), ('role', 'provincial_bureau')), models.Q(('province__isnull', True), ('regency__isnull', True), ('role', 'national_admin')), _connector='OR'), name='accounts_membership_role_matches_place'), models.UniqueConstraint(fields=('user', 'role', 'regency', 'province'), name='accounts_membership_unique', nulls_distinct=False)],
                    },
                ),
                migrations.CreateModel(
                    name='UserPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('language', models.CharField(choices=[('id', 'Bahasa Indonesia'), ('en', 'English')], default='id', max_length=8, verbose_name='bahasa')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preference', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
                    ],
                    options={
                        'verbose_name': 'preferensi pengguna',
                        'verbose_name_plural': 'preferensi pengguna',
                        'constraints': [models.CheckConstraint(condition=models.Q(('language__in', ['id', 'en'])), name='accounts_userpreference_language_known')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
