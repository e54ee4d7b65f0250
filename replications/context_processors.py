from .notifications import unread_count


def notifications(request):
    """The unread count for the navigation, from the cache (a query only when it is not there)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None else 0}
