import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from roles.models import CertificationLevel, FAQTopic, Role
from tests.roles.factories import make_faq, make_level, make_role, make_topic

pytestmark = pytest.mark.django_db


def test_two_levels_cannot_share_a_ladder_position():
    make_level(ladder_order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_level(ladder_order=1)


def test_two_levels_cannot_share_a_slug():
    make_level(slug="emt")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_level(slug="emt")


def test_two_roles_cannot_share_a_slug():
    make_role(slug="dispatcher")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_role(slug="dispatcher")


def test_database_refuses_training_hours_whose_low_end_is_above_the_high_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_level(training_hours_min=200, training_hours_max=100)


def test_database_refuses_ladder_position_zero():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_level(ladder_order=0)


def test_a_skill_is_listed_once_per_level():
    level = make_level(skills=["CPR"])
    with pytest.raises(IntegrityError), transaction.atomic():
        level.skills.create(name="CPR")


def test_level_slug_already_used_by_a_role_is_rejected_by_clean():
    make_role(slug="dispatcher")
    level = CertificationLevel(slug="dispatcher")
    with pytest.raises(ValidationError) as error:
        level.clean()
    assert "slug" in error.value.message_dict


def test_role_slug_already_used_by_a_level_is_rejected_by_clean():
    make_level(slug="emt")
    with pytest.raises(ValidationError) as error:
        Role(slug="emt", name="Impostor", summary="x", description="x").full_clean()
    assert "already the address of the certification level" in error.value.message_dict["slug"][0]


def test_compare_is_reserved_for_the_comparison_page():
    with pytest.raises(ValidationError):
        Role(slug="compare", name="Compare", summary="x", description="x").full_clean()
    with pytest.raises(ValidationError):
        CertificationLevel(slug="compare").clean()


def test_prerequisite_must_sit_lower_on_the_ladder():
    higher = make_level(ladder_order=5)
    level = make_level(ladder_order=2)
    level.prerequisite = higher
    with pytest.raises(ValidationError) as error:
        level.clean()
    assert "prerequisite" in error.value.message_dict


def test_a_level_cannot_be_its_own_prerequisite():
    level = make_level()
    level.prerequisite = level
    with pytest.raises(ValidationError):
        level.clean()


def test_clean_explains_a_reversed_training_hours_range():
    level = CertificationLevel(slug="x", training_hours_min=300, training_hours_max=100, ladder_order=1)
    with pytest.raises(ValidationError) as error:
        level.clean()
    assert "training_hours_max" in error.value.message_dict


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (110, 190, "110–190 hours"),
        (1200, 1200, "about 1,200 hours"),
        (None, None, "varies by program"),
        (40, None, "about 40 hours"),
    ],
)
def test_training_hours_reads_as_a_range(low, high, expected):
    assert CertificationLevel(training_hours_min=low, training_hours_max=high).training_hours == expected


def test_ladder_lists_published_levels_in_order():
    third = make_level(ladder_order=3)
    first = make_level(ladder_order=1)
    make_level(ladder_order=2, is_published=False)
    assert list(CertificationLevel.objects.ladder()) == [first, third]


def test_level_and_role_pages_share_the_roles_address_space():
    assert make_level(slug="emt").get_absolute_url() == "/roles/emt/"
    assert make_role(slug="medical-director").get_absolute_url() == "/roles/medical-director/"


def test_faq_topics_carry_only_their_published_entries_in_order():
    topic = make_topic()
    second = make_faq(topic=topic, order=2)
    first = make_faq(topic=topic, order=1)
    make_faq(topic=topic, is_published=False)
    [loaded] = FAQTopic.objects.with_published_entries()
    assert loaded.published_entries == [first, second]


# What levels and programs that rely on a level need of it


def test_a_level_cannot_move_above_the_levels_that_require_it():
    emt = make_level(name="EMT", ladder_order=2)
    make_level(name="Paramedic", ladder_order=4, prerequisite=emt)
    make_level(name="AEMT", ladder_order=3, prerequisite=emt)

    emt.ladder_order = 50
    with pytest.raises(ValidationError) as error:
        emt.full_clean()
    assert error.value.message_dict["ladder_order"] == [
        "AEMT, Paramedic require this level, so it must sit lower on the ladder than them."
    ]

    emt.ladder_order = 1
    emt.full_clean()


def test_a_level_that_published_pages_rely_on_stays_published():
    from tests.enrollment.conftest import make_program

    emt = make_level(name="EMT", ladder_order=2)
    paramedic = make_level(name="Paramedic", ladder_order=4, prerequisite=emt)
    make_program(level=emt, name="EMT course")

    emt.is_published = False
    with pytest.raises(ValidationError) as error:
        emt.full_clean()
    assert error.value.message_dict["is_published"] == [
        "Published pages rely on this level (Paramedic, EMT course): unpublish them first, or keep this level "
        "published."
    ]

    paramedic.is_published = False
    paramedic.save()
    emt.programs.update(is_published=False)
    emt.full_clean()


def test_a_draft_level_and_its_draft_program_can_be_prepared_together():
    from tests.enrollment.conftest import make_program

    draft = make_level(name="Community Paramedic", is_published=False)
    program = make_program(level=draft, name="CP course", is_published=False)
    draft.summary = "Edited while still a draft."
    draft.full_clean()

    program.is_published = True
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert error.value.message_dict["level"] == [
        "Community Paramedic is not published yet: publish it first, or keep this program a draft."
    ]


def test_a_published_level_needs_a_published_prerequisite():
    draft = make_level(name="Draft basics", ladder_order=1, is_published=False)
    level = make_level(ladder_order=2, prerequisite=draft, is_published=False)
    level.is_published = True
    with pytest.raises(ValidationError) as error:
        level.full_clean()
    assert error.value.message_dict["prerequisite"] == [
        "Draft basics is not published yet: publish it first, or keep this level a draft."
    ]


def test_a_ladder_stored_out_of_order_does_not_block_other_edits():
    emt = make_level(name="EMT", ladder_order=5)
    paramedic = make_level(name="Paramedic", ladder_order=4)
    CertificationLevel.objects.filter(pk=paramedic.pk).update(prerequisite=emt)  # stored before the rule
    paramedic.refresh_from_db()

    paramedic.summary = "A new summary."
    paramedic.full_clean()
    emt.summary = "Another summary."
    emt.full_clean()
