"""In-app notifications: the unread count is cached per user so the navigation costs no query."""

from django.core.cache import cache
from django.utils import timezone

from .models import Notification

UNREAD_SECONDS = 600


def unread_key(user_id: int) -> str:
    return f"replications:unread:{user_id}"


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(unread_key(user.pk), count, timeout=UNREAD_SECONDS)
    return count


def add(user, message: str, proposal=None, url: str = "") -> Notification:
    notification = Notification.objects.create(user=user, message=message, proposal=proposal, url=url)
    cache.delete(unread_key(user.pk))
    return notification


def mark_all_read(user) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    cache.delete(unread_key(user.pk))
    return marked
