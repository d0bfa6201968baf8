"""For an operator on the server: reset a user's second factor when no other superuser can (the last
superuser lost their phone). Recorded in the user's history, as the admin's reset is."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staffauth.services import second_factor_reset


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes: they set up the app again at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None
        # The history names who did it; from the server, that is the account's own reset.
        second_factor_reset(user=user, by=user)
        self.stdout.write(
            f"The second factor of “{username}” was reset: they set it up again at their next sign-in."
        )
