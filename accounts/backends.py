"""Sign-in refusals that django-axes' username × address lockout does not cover."""

from django.core.exceptions import PermissionDenied

from core.ratelimit import SIGN_IN_ADDRESS, client_address


class AddressLimitBackend:
    """Refuses every sign-in from an address with too many failed ones, whatever the usernames tried
        (``RATE_LIMITS["sign-in-address"]``), so spraying passwords across accounts stops; the failures are
        counted by ``signals.sign_in_failed``. AxesMiddleware answers with the lockout page (429). It signs no
    one in and has no ``get_user``, so sessions never name it."""

    def authenticate(self, request, **credentials):
        if request is not None and SIGN_IN_ADDRESS.exceeded(client_address(request)):
            request.axes_locked_out = True
            raise PermissionDenied
        return None
