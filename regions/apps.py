from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan instansi")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from .models import Agency, Membership, Province, Regency
        from .roles import forget_roles
        from .versions import bump_reference_version

        def membership_changed(sender, instance, **kwargs) -> None:
            forget_roles(instance.user_id)

        def user_changed(sender, instance, **kwargs) -> None:
            forget_roles(instance.pk)

        post_save.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-save")
        post_delete.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-delete")
        post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="roles-user-save")
        for model in (Province, Regency, Agency):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_reference_version, sender=model, dispatch_uid=f"api-reference-{model.__name__}"
                )
