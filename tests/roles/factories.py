"""Small helpers that make roles records with sensible defaults; pass only what a test cares about."""

from itertools import count

from roles.models import FAQ, CertificationLevel, FAQTopic, Guide, Role, Skill

_numbers = count(1)


def make_level(*, skills=(), **fields):
    number = next(_numbers)
    defaults = {
        "slug": f"level-{number}",
        "name": f"Level {number}",
        "abbreviation": f"L{number}",
        "ladder_order": number,
        "summary": f"Summary of level {number}.",
        "description": f"What people at level {number} do.",
        "training_hours_min": 100,
        "training_hours_max": 150,
        "exam": "A national exam.",
        "recertification": "Every 2 years.",
    }
    level = CertificationLevel.objects.create(**{**defaults, **fields})
    for order, name in enumerate(skills, start=1):
        Skill.objects.create(level=level, name=name, order=order)
    return level


def make_role(**fields):
    number = next(_numbers)
    defaults = {
        "slug": f"role-{number}",
        "name": f"Role {number}",
        "summary": f"Summary of role {number}.",
        "description": f"What role {number} does.",
    }
    return Role.objects.create(**{**defaults, **fields})


def make_guide(**fields):
    number = next(_numbers)
    defaults = {
        "slug": f"guide-{number}",
        "title": f"Guide {number}",
        "summary": f"Summary of guide {number}.",
        "body": "## A heading\n\nSome text.",
        "is_published": True,
    }
    return Guide.objects.create(**{**defaults, **fields})


def make_topic(**fields):
    number = next(_numbers)
    defaults = {"slug": f"topic-{number}", "name": f"Topic {number}", "order": number}
    return FAQTopic.objects.create(**{**defaults, **fields})


def make_faq(*, topic=None, **fields):
    number = next(_numbers)
    defaults = {"question": f"Question {number}?", "answer": f"Answer {number}."}
    return FAQ.objects.create(topic=topic or make_topic(), **{**defaults, **fields})
