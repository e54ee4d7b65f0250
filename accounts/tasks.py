"""Emails of the accounts app, sent by Celery with retries (a slow or refusing mail server never holds
the page that asked for them)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext

from core.retries import retry_delay

from .invitations import link_of
from .models import Invitation

logger = logging.getLogger(__name__)


def invitation_email(invitation: Invitation, secret: str) -> EmailMultiAlternatives:
    """The invitation in the invitee's language, HTML and plain text, with the one-time link."""
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": link_of(secret),
            "place": invitation.place,
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.username
            if invitation.invited_by
            else "Replikasi",
            "expires": formats.date_format(invitation.expires_at, "j F Y"),
        }
        email = EmailMultiAlternatives(
            subject=gettext("[Replikasi] Undangan bergabung sebagai %(role)s") % {"role": context["role"]},
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[invitation.email],
        )
        email.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
        return email


@shared_task(bind=True, name="accounts.send_invitation", max_retries=5)
def send_invitation(self, invitation_id: int, secret: str) -> str:
    invitation = Invitation.objects.select_related("regency", "province", "invited_by").get(pk=invitation_id)
    if invitation.accepted_at or invitation.revoked_at:
        return "closed"
    try:
        invitation_email(invitation, secret).send()
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.error("invitation %s to %s failed for good: %r", invitation_id, invitation.email, error)
            return "failed"
        delay = retry_delay(self.request.retries)
        logger.warning("invitation %s: %r; retry in %d s", invitation_id, error, delay)
        raise self.retry(exc=error, countdown=delay) from error
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())
    return "sent"


def enqueue_invitation(invitation: Invitation, secret: str) -> None:
    """Sent once the invitation is committed, on the queue whose workers send the emails."""
    send_invitation.apply_async((invitation.pk, secret), queue=settings.REMINDER_QUEUE)


def password_reset_email(user, domain: str, site_name: str, protocol: str) -> EmailMultiAlternatives:
    """Django's reset email (registration/password_reset_*), its one-time link made here, in the worker."""
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.html", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[user.email])


@shared_task(bind=True, name="accounts.send_password_reset", max_retries=5)
def send_password_reset(self, user_id: int, domain: str, site_name: str, protocol: str, language: str) -> str:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return "gone"
    try:
        with translation.override(language):
            password_reset_email(user, domain, site_name, protocol).send()
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.error("password reset for user %s failed for good: %r", user_id, error)
            return "failed"
        delay = retry_delay(self.request.retries)
        logger.warning("password reset for user %s: %r; retry in %d s", user_id, error, delay)
        raise self.retry(exc=error, countdown=delay) from error
    return "sent"


def enqueue_password_reset(user_id: int, domain: str, site_name: str, protocol: str, language: str) -> None:
    """Sent by a worker once the request is over, so its answer takes as long for any address; the
    link's token is made in the worker and never travels through the broker."""
    send_password_reset.apply_async(
        (user_id, domain, site_name, protocol, language), queue=settings.REMINDER_QUEUE
    )
