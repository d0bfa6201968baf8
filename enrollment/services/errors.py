"""Refusals a person can act on, raised by the services and shown by the forms and the admin."""

from collections.abc import Iterable

from enrollment.eligibility import message


class EnrollmentError(Exception):
    """A refusal a person can act on. `errors` lists (field, message) pairs; `field` is the name of the
    form field the message belongs to (None: the whole form). `field` and `message` are the first pair."""

    def __init__(self, errors: Iterable[tuple[str | None, str]]):
        self.errors = list(errors)
        if not self.errors:
            raise ValueError("An EnrollmentError needs at least one reason.")
        self.field, self.message = self.errors[0]
        super().__init__(self.message)

    @classmethod
    def at(cls, field: str | None, message: str):
        return cls([(field, message)])


class EligibilityError(EnrollmentError):
    """A submission refused: not eligible, closed, or invalid data."""


class AlreadyApplied(EligibilityError):
    """The same e-mail address already has a live application to the cohort: most often the same person
    sending the form again (after an error page, or a second click). Their application's details have been
    e-mailed to that address again; `application` is the one that is in."""

    def __init__(self, application):
        super().__init__([("email", message("already_applied"))])
        self.application = application


class ApplicationStateError(EnrollmentError):
    """A staff action that the application or the cohort does not allow right now."""
