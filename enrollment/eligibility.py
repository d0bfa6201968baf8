"""Who may apply to which course start (DESIGN.md 4.2): one small function per rule, each returning the
reasons it finds as (field, message) pairs, and the words of every refusal in one table (MESSAGES) that the
public form, the admin's forms and the services share. The applicant's details travel as one typed value
(ApplicantDetails).

The rules: the start takes applications (Cohort.closed_reason), the applicant is old enough on its first
day, and holds the certification the program requires, valid after that day. One live application per
e-mail address and start is not a rule here: a second one is the same person sending again
(services.AlreadyApplied)."""

from dataclasses import asdict, dataclass, fields
from datetime import date

from sitetools import formats

# Every refusal's words, once. Placeholders are filled by `message()`.
MESSAGES = {
    "consent": "Tick the box to agree: we cannot process an application without it.",
    "too_young": (
        "You must be at least {minimum_age} on the first day of the course ({start}). Check your date of "
        "birth, or choose a later start date."
    ),
    "certification_missing": (
        "The {program} course requires current {required} certification. Choose the certification you hold."
    ),
    "certification_too_low": (
        "The {program} course requires {required} certification or higher; {level} is not enough."
    ),
    "certification_number_missing": "Enter the number of your certification or state license.",
    "certification_state_missing": "Enter the state that issued your certification or license.",
    "certification_expiry_missing": "Enter the date your certification expires.",
    "certification_expires_too_soon": (
        "Your certification must still be valid after the first day of the course ({start}), but it expires "
        "on {expiry}. Renew it first, or choose an earlier start date."
    ),
    "already_applied": (
        "An application from this e-mail address for this course start is already in. We have e-mailed its "
        "details to that address again."
    ),
    "email_in_use": (
        "{reference} already uses this e-mail address for the same course start ({cohort}). One person has "
        "one live application per start: withdraw or decline one of them first."
    ),
}


def message(key: str, **params) -> str:
    return MESSAGES[key].format(**params)


def day(value: date) -> str:
    return formats.day(value)


@dataclass(frozen=True)
class ApplicantDetails:
    """The person's details as the application form asks for them (and staff enter them from a phone
    call): what services.application_submit stores."""

    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date
    address_line1: str
    city: str
    state: str
    postal_code: str
    consent_data_processing: bool
    address_line2: str = ""
    consent_sms: bool = False
    certification_level: object = None  # a roles.CertificationLevel
    certification_number: str = ""
    certification_state: str = ""
    certification_expiry: date | None = None

    @classmethod
    def from_data(cls, data: dict) -> "ApplicantDetails":
        """From a form's cleaned data (fields the form does not have keep their defaults)."""
        return cls(**{field.name: data[field.name] for field in fields(cls) if field.name in data})

    def as_fields(self) -> dict:
        """The values as the Application's fields, text stripped."""
        return {
            name: value.strip() if isinstance(value, str) else value for name, value in asdict(self).items()
        }


def age_on(day_: date, date_of_birth: date) -> int:
    birthday_passed = (day_.month, day_.day) >= (date_of_birth.month, date_of_birth.day)
    return day_.year - date_of_birth.year - (0 if birthday_passed else 1)


def check_open(cohort) -> list[tuple[str, str]]:
    reason = cohort.closed_reason()
    return [("cohort", reason)] if reason else []


def check_age(cohort, date_of_birth: date | None) -> list[tuple[str, str]]:
    minimum_age = cohort.program.required_minimum_age
    if not minimum_age or date_of_birth is None or age_on(cohort.start_date, date_of_birth) >= minimum_age:
        return []
    return [("date_of_birth", message("too_young", minimum_age=minimum_age, start=day(cohort.start_date)))]


def certification_shortfall(program, level) -> str:
    """Why `level` (a CertificationLevel) does not meet the program's prerequisite, or "" when it does."""
    required = program.level.prerequisite
    if required is None or level is None or level.ladder_order >= required.ladder_order:
        return ""
    return message("certification_too_low", program=program.name, required=required.name, level=level.name)


def check_certification(
    cohort, *, level, number: str, state: str, expiry: date | None
) -> list[tuple[str, str]]:
    program = cohort.program
    required = program.level.prerequisite
    if required is None:
        return []
    errors = []
    if level is None:
        errors.append(
            (
                "certification_level",
                message("certification_missing", program=program.name, required=required.name),
            )
        )
    elif shortfall := certification_shortfall(program, level):
        errors.append(("certification_level", shortfall))
    if not (number or "").strip():
        errors.append(("certification_number", message("certification_number_missing")))
    if not (state or "").strip():
        errors.append(("certification_state", message("certification_state_missing")))
    if expiry is None:
        errors.append(("certification_expiry", message("certification_expiry_missing")))
    elif expiry <= cohort.start_date:
        errors.append(
            (
                "certification_expiry",
                message("certification_expires_too_soon", start=day(cohort.start_date), expiry=day(expiry)),
            )
        )
    return errors


def person_errors(cohort, *, date_of_birth, level, number, state, expiry) -> list[tuple[str, str]]:
    """The rules about the person (age, certification): checked on the form's submission and on staff
    edits of an application (enrollment/admin/applications.py)."""
    return check_age(cohort, date_of_birth) + check_certification(
        cohort, level=level, number=number, state=state, expiry=expiry
    )


def errors(cohort, details: ApplicantDetails) -> list[tuple[str, str]]:
    """Every reason the person may not apply to the start, each at its form field."""
    if not details.consent_data_processing:
        return [("consent_data_processing", message("consent"))]
    return check_open(cohort) + person_errors(
        cohort,
        date_of_birth=details.date_of_birth,
        level=details.certification_level,
        number=details.certification_number,
        state=details.certification_state,
        expiry=details.certification_expiry,
    )
