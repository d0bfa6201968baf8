import pytest
from django.urls import reverse

from roles.models import CertificationLevel, Role
from tests.roles.factories import make_faq, make_guide, make_level, make_role
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user):
    return sign_in(client, admin_user)


@pytest.mark.parametrize("model", ["certificationlevel", "role", "guide", "faqtopic", "faq"])
def test_content_editors_can_list_search_and_add_each_kind_of_content(staff_client, model):
    make_level(skills=["CPR"])
    make_role()
    make_guide()
    make_faq()
    changelist = reverse(f"admin:roles_{model}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "1"}).status_code == 200
    assert staff_client.get(reverse(f"admin:roles_{model}_add")).status_code == 200


def test_level_form_edits_skills_inline(staff_client):
    level = make_level(skills=["CPR", "Splinting"])
    html = staff_client.get(
        reverse("admin:roles_certificationlevel_change", args=[level.pk])
    ).content.decode()
    assert 'name="skills-0-name"' in html
    assert 'value="Splinting"' in html


def test_admin_refuses_a_role_whose_slug_a_level_already_uses(staff_client):
    make_level(slug="emt")
    response = staff_client.post(
        reverse("admin:roles_role_add"),
        {
            "name": "Impostor",
            "slug": "emt",
            "summary": "x",
            "description": "x",
            "order": 0,
            "is_published": "on",
        },
    )
    assert response.status_code == 200
    assert "levels and roles share" in response.content.decode()
    assert not Role.objects.filter(name="Impostor").exists()


def test_admin_refuses_a_level_whose_slug_a_role_already_uses(staff_client):
    make_role(slug="medical-director")
    data = {
        "name": "Clash",
        "abbreviation": "C",
        "slug": "medical-director",
        "ladder_order": 9,
        "summary": "x",
        "description": "x",
        "exam": "x",
        "recertification": "x",
        "direct_patient_contact": "on",
        "is_published": "on",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(reverse("admin:roles_certificationlevel_add"), data)
    assert response.status_code == 200
    assert "levels and roles share" in response.content.decode()
    assert not CertificationLevel.objects.filter(name="Clash").exists()


def test_guide_list_links_to_the_guide_on_the_site(staff_client):
    guide = make_guide(is_published=False)
    html = staff_client.get(reverse("admin:roles_guide_changelist")).content.decode()
    assert f'href="{guide.get_absolute_url()}">Preview</a>' in html


def test_publishing_from_the_list_a_level_whose_prerequisite_is_a_draft_explains_on_its_row(staff_client):
    draft = make_level(name="Draft basics", ladder_order=1, is_published=False)
    level = make_level(name="Next step", ladder_order=2, prerequisite=draft, is_published=False)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(draft.pk),
        "form-1-id": str(level.pk),
        "form-1-is_published": "on",
        "_save": "Save",
    }

    response = staff_client.post(reverse("admin:roles_certificationlevel_changelist"), data)

    assert response.status_code == 200
    assert "Prerequisite: Draft basics is not published yet" in response.content.decode()
    level.refresh_from_db()
    assert level.is_published is False


def test_an_faq_entry_edited_on_its_topics_page_is_checked_like_any_admin_text(staff_client):
    """The entries are edited inline on the topic's page: a question is one line, and an answer's line
    breaks are stored as "\\n" whatever the browser sends (as on every other admin form)."""
    entry = make_faq(question="How long is the course?", answer="About 10 weeks.")
    url = reverse("admin:roles_faqtopic_change", args=[entry.topic.pk])
    from tests.staff.conftest import change_form_data

    data = change_form_data(staff_client.get(url))
    data.update(
        {
            "entries-0-question": "How long\r\nis the course?",
            "entries-0-answer": "One.\r\n\r\nTwo.",
            "entries-0-order": "0",
            "entries-0-is_published": "on",
        }
    )
    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "Use one line only" in response.content.decode()
    entry.refresh_from_db()
    assert entry.question == "How long is the course?"

    data["entries-0-question"] = "How long is it?"
    assert staff_client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.answer == "One.\n\nTwo."
