import pytest

from roles import demo
from roles.models import FAQ, CertificationLevel, Guide, Role

pytestmark = pytest.mark.django_db


def test_demo_content_creates_the_ladder_roles_guides_and_faq():
    created = demo.load()
    assert created["certification levels"] == 5
    assert created["roles"] >= 4
    assert created["guides"] >= 1
    assert created["FAQ entries"] >= 12
    assert list(CertificationLevel.objects.ladder().values_list("slug", flat=True)) == [
        "emr",
        "emt",
        "aemt",
        "paramedic",
        "community-paramedic",
    ]


def test_running_the_demo_twice_creates_nothing_the_second_time():
    demo.load()
    assert set(demo.load().values()) == {0}


def test_demo_levels_keep_the_prerequisites_and_ages_other_apps_rely_on():
    demo.load()
    levels = {level.slug: level for level in CertificationLevel.objects.select_related("prerequisite")}
    assert levels["emr"].prerequisite is None
    assert levels["emt"].prerequisite is None
    assert levels["aemt"].prerequisite.slug == "emt"
    assert levels["paramedic"].prerequisite.slug == "emt"
    assert levels["community-paramedic"].prerequisite.slug == "paramedic"
    assert levels["emr"].minimum_age is None
    assert {levels[slug].minimum_age for slug in ("emt", "aemt", "paramedic")} == {18}
    assert all("ypically" in levels[slug].minimum_age_note for slug in ("emt", "aemt", "paramedic"))


def test_demo_levels_say_emrs_give_hands_on_care_and_what_many_states_limit():
    demo.load()
    emr = CertificationLevel.objects.get(slug="emr")
    assert emr.direct_patient_contact is True
    assert emr.patient_contact_note.startswith("Hands-on first care at the scene")
    assert "Many states do not allow an EMR" in emr.patient_contact_note
    assert "in many states an EMR may not be the one caring for a patient" in emr.advice
    emr_faq = FAQ.objects.get(question="Should I train as an EMR first?").answer
    assert "hands-on first care at the scene" in emr_faq and "in many states an EMR may not" in emr_faq


def test_demo_text_hedges_what_the_brief_marks_unconfirmed_or_decided_by_each_state():
    text = " ".join([str(demo.LEVELS), str(demo.ROLES), str(demo.GUIDES), str(demo.FAQS)]).replace("\n", " ")
    for overstated in (
        "Not every state licenses AEMTs",
        "not every state licenses AEMTs",
        "not licensed in every state",
        "added nationally",
        "Anyone can start",
        "Both take NREMT exams",
        "in most states EMRs",
    ):
        assert overstated not in text
    assert text.count("could not confirm") >= 3  # the AEMT page, its FAQ entry, community paramedic hours
    assert "in the national model since 2021; each state decides" in text
    assert "In most states both sit NREMT exams" in text


def test_demo_levels_have_skills_and_the_emr_advice():
    demo.load()
    emr = CertificationLevel.objects.get(slug="emr")
    assert emr.skills.count() > 3
    assert "advise against EMR training" in emr.advice


def test_demo_content_is_published_and_includes_the_ems_vs_emt_guide():
    demo.load()
    assert Guide.objects.published().filter(slug="ems-vs-emt").exists()
    assert not Role.objects.filter(is_published=False).exists()


def test_staff_edits_survive_another_load():
    demo.load()
    CertificationLevel.objects.filter(slug="emt").update(summary="Edited by staff")
    FAQ.objects.filter(question="How do I apply?").update(answer="Edited answer")
    Role.objects.filter(slug="medical-director").delete()
    created = demo.load()
    assert CertificationLevel.objects.get(slug="emt").summary == "Edited by staff"
    assert FAQ.objects.get(question="How do I apply?").answer == "Edited answer"
    assert created["roles"] == 1  # a deleted record comes back; nothing else changes


def test_demo_does_not_trip_over_a_ladder_position_staff_already_took():
    CertificationLevel.objects.create(
        slug="first-aid",
        name="First aid",
        abbreviation="FA",
        ladder_order=1,
        summary="x",
        description="x",
        exam="x",
        recertification="x",
    )
    demo.load()
    assert CertificationLevel.objects.get(slug="emr").ladder_order > 1


@pytest.mark.parametrize("text", ["Northfield", "example.org", "555 010"])
def test_demo_content_never_names_the_fictional_school_or_its_contacts(text):
    sources = [str(demo.LEVELS), str(demo.ROLES), str(demo.GUIDES), str(demo.FAQS)]
    assert all(text not in source for source in sources)
