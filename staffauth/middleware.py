"""A session signed in with a password alone counts as signed out for anyone who must use a second factor.

The two-step sign-in (staffauth.views) only signs people in once both factors are right, so such a
session comes from before the second factor was turned on, from a factor that a superuser has since reset,
or from a group rule turned on since: its user sees every page as a visitor does (the admin sends them
to sign in) until they sign in again with both factors."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from staffauth.models import second_factor_required


def _effective_user(user):
    if user.is_authenticated and not user.is_verified() and second_factor_required(user):
        return AnonymousUser()
    return user


class SecondFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: _effective_user(user))
        auser = getattr(request, "auser", None)
        if auser is not None:
            request.auser = _async_effective_user(auser)
        return self.get_response(request)


def _async_effective_user(auser):
    from asgiref.sync import sync_to_async

    async def effective_auser():
        return await sync_to_async(_effective_user)(await auser())

    return effective_auser
