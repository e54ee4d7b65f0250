"""Emails of the accounts app, sent by Celery with retries (a slow or refusing mail server never holds
the page that asked for them)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
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
