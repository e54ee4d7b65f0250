"""A change to a user or their memberships drops their cached roles, so a revoked role ends at the
next request; a failed sign-in counts against its address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_delete, post_save

from core.ratelimit import SIGN_IN_ADDRESS, client_address

from .models import Membership
from .roles import forget_roles


def membership_changed(sender, instance, **kwargs) -> None:
    forget_roles(instance.user_id)


def user_changed(sender, instance, **kwargs) -> None:
    forget_roles(instance.pk)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        SIGN_IN_ADDRESS.hit(client_address(request))


def connect() -> None:
    user_login_failed.connect(sign_in_failed, dispatch_uid="sign-in-failed-per-address")
    post_save.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-save")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid="roles-membership-delete")
    post_save.connect(user_changed, sender=get_user_model(), dispatch_uid="roles-user-save")
