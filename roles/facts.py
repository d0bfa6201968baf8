"""What the site says about a certification level, defined once.

The level page's fact list and the comparison table's rows both come from FACTS, so a fact is never
written out twice and the two pages cannot disagree. Each fact reads one or more fields of a level
(skills must be prefetched: see CertificationLevel.objects.ladder()).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TEXT = "text"
LIST = "list"
LEVEL = "level"
YES_NO = "yes-no"


@dataclass(frozen=True)
class FactValue:
    """One fact about one level, ready for `roles/_fact_value.html`."""

    kind: str
    value: Any
    note: str = ""


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    kind: str
    value: Callable[[Any], Any]
    note: Callable[[Any], str] = lambda level: ""

    def of(self, level) -> FactValue:
        return FactValue(kind=self.kind, value=self.value(level), note=self.note(level))


FACTS = (
    Fact("summary", "What they do", TEXT, lambda level: level.summary),
    Fact(
        "training-hours",
        "Training hours",
        TEXT,
        lambda level: level.training_hours,
        note=lambda level: level.training_note,
    ),
    Fact("training-length", "Training length", TEXT, lambda level: level.training_length),
    Fact("clinical", "Clinical experience", TEXT, lambda level: level.clinical_experience),
    Fact("field", "Field experience", TEXT, lambda level: level.field_experience),
    Fact("prerequisite", "Certification needed first", LEVEL, lambda level: level.prerequisite),
    Fact("requirements", "Other entry requirements", TEXT, lambda level: level.prerequisites_note),
    Fact(
        "minimum-age",
        "Minimum age",
        TEXT,
        lambda level: str(level.minimum_age) if level.minimum_age else "No common minimum",
        note=lambda level: level.minimum_age_note,
    ),
    Fact("scope", "Scope of practice", LIST, lambda level: [skill.name for skill in level.skills.all()]),
    Fact("exam", "Exam", TEXT, lambda level: level.exam),
    Fact("recertification", "Recertification", TEXT, lambda level: level.recertification),
    Fact(
        "ambulance",
        "May drive an ambulance",
        YES_NO,
        lambda level: level.can_drive_ambulance,
        note=lambda level: level.ambulance_note,
    ),
    Fact(
        "patient-contact",
        "Direct patient contact",
        YES_NO,
        lambda level: level.direct_patient_contact,
        note=lambda level: level.patient_contact_note,
    ),
    Fact("employers", "Typical employers", TEXT, lambda level: level.typical_employers),
    Fact("advice", "Our advice", TEXT, lambda level: level.advice),
)

# The level page shows these two above its fact list (the summary as its lead, the advice in a box).
SHOWN_ABOVE_THE_FACT_LIST = frozenset({"summary", "advice"})


def level_facts(level, *, exclude=SHOWN_ABOVE_THE_FACT_LIST) -> list[tuple[Fact, FactValue]]:
    """The facts of one level, for its page."""
    return [(fact, fact.of(level)) for fact in FACTS if fact.key not in exclude]


def fact_rows(levels) -> list[tuple[Fact, list[FactValue]]]:
    """Every fact for several levels, one row per fact: the comparison table."""
    return [(fact, [fact.of(level) for level in levels]) for fact in FACTS]
