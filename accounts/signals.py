"""A change to a user or their memberships drops their cached roles, so a revoked role ends at the
next request."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from .models import Membership
from .roles import forget_roles


def membership_changed(sender, instance, **kwargs) -> None:
    forget_roles(instance.user_id)


def user_changed(sender, instance, **kwargs) -> None:
    forget_roles(instance.pk)


def connect() -> None:
    post_save.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-save")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-delete")
    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="roles-user-save")
