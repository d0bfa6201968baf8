"""Personal data kept by apps other than enrollment, for the two things the school owes people about all of it:
the per-person export (enrollment.selectors.applicant_data, from the admin) and the retention purge
(`manage.py purge_personal_data`).

Enrollment owns both, but it sits below the apps that hold more of a person's data (info sessions): those
register a `Holder` here when they start (their AppConfig.ready), and enrollment asks every holder without
importing it. One list, so nothing a person gave the school is left out of either."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Holder:
    key: str  # the records' name in the export, e.g. "info_session_signups"
    label: str  # what the purge prints before their references, e.g. "info-session sign-up(s)"
    # The records of the people with these (lower-case) e-mail addresses: {email: [record, ...]}.
    export: Callable[[list[str]], dict[str, list[dict]]]
    # The references of the records older than the retention period's cutoff.
    expired: Callable[[datetime], list[str]]
    # Delete the records with these references (with what belongs to them).
    delete: Callable[[Iterable[str]], None]


_holders: dict[str, Holder] = {}


def register(holder: Holder) -> None:
    _holders[holder.key] = holder


def holders() -> list[Holder]:
    return list(_holders.values())
