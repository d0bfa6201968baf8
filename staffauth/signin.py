"""The state of a sign-in between the password and the second factor, kept in the session.

After the right password the person is not signed in yet: the session only remembers who they said they
are (for a few minutes), and Django's login() runs once the second factor is verified. So nothing of the
admin, or of any page for signed-in staff, is reachable with the password alone, and django-axes sees one
successful sign-in (which clears the account's failures) only when both steps are done. A wrong code is
reported to django-axes like a wrong password, for the same account and address."""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed

PENDING_SESSION_KEY = "staffauth_pending"


def pending_start(request, user, *, next_url):
    request.session.cycle_key()  # a new session id once the password is known to be right
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "since": time.time(),
    }


def pending_user(request):
    """The user whose password was right a moment ago, or None: no such step, it is too old, or the
    account changed since (its password, or it is no longer active staff)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending["since"] > settings.STAFFAUTH_SIGN_IN_SECONDS:
        return None
    user = auth.get_user_model()._default_manager.filter(pk=pending["user"]).first()
    if user is None or not (user.is_active and user.is_staff):
        return None
    if user.get_session_auth_hash() != pending["hash"]:
        return None
    user.backend = pending["backend"]
    return user


def pending_next(request):
    return request.session.get(PENDING_SESSION_KEY, {}).get("next")


def pending_clear(request):
    request.session.pop(PENDING_SESSION_KEY, None)


def sign_in_complete(request, user, device):
    """Both factors are right: sign in, with the device that verified this session (django-otp)."""
    user.otp_device = device  # django-otp's user_logged_in receiver stores it in the session
    next_url = pending_next(request)
    pending_clear(request)
    auth.login(request, user, backend=user.backend)
    return next_url


def credentials(user):
    return {"username": user.get_username()}


def lockout_response(request, user):
    """django-axes' lockout page when the account (or address) is locked out, else None. A locked-out
    person starts again from the password, after the cool-off."""
    if AxesProxyHandler.is_locked(request, credentials(user)):
        pending_clear(request)
        return get_lockout_response(request, None, credentials(user))
    return None


def code_refused(request, user):
    """A wrong second-step code counts as a failed sign-in of this account from this address, under
    whatever lockout parameters django-axes is given. Returns True when that failure locked it out (the
    axes middleware then answers with the lockout page)."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        pending_clear(request)
        return True
    return False
