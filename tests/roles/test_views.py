import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from roles.models import CertificationLevel, Guide, Role
from tests.roles.factories import make_guide, make_level, make_role
from tests.signin import sign_in

pytestmark = pytest.mark.django_db

DEMO_PAGES = [
    "/roles/",
    "/roles/emr/",
    "/roles/emt/",
    "/roles/aemt/",
    "/roles/paramedic/",
    "/roles/community-paramedic/",
    "/roles/emergency-medical-dispatcher/",
    "/roles/medical-director/",
    "/roles/compare/",
    "/roles/compare/?levels=emt,paramedic",
    "/guides/ems-vs-emt/",
    "/faq/",
]


class Outline(HTMLParser):
    """Headings, titles, meta descriptions and inline styles of a page."""

    def __init__(self):
        super().__init__()
        self.headings, self.styles, self.scripts, self.descriptions = [], [], [], []
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "style" in attrs:
            self.styles.append(tag)
        if tag == "script" and attrs.get("type") != "application/ld+json" and "src" not in attrs:
            self.scripts.append(tag)
        if tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs["content"])
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def outline(response):
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("url", DEMO_PAGES)
def test_every_roles_page_renders_with_the_demo_content(client, demo_content, url):
    response = client.get(url)
    assert response.status_code == 200
    page = outline(response)
    assert page.headings.count(1) == 1, "exactly one <h1>"
    assert page.headings[0] == 1 or page.headings.index(1) < page.headings.index(2)
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skipped: h{before} then h{after}"
    assert page.styles == [], "no inline styles: the CSP forbids them"
    assert page.scripts == [], "no inline scripts: the CSP forbids them"


@pytest.mark.parametrize("url", DEMO_PAGES)
def test_every_roles_page_ends_with_a_way_to_apply_or_ask(client, demo_content, settings, url):
    html = client.get(url).content.decode()
    cta = html[html.index('class="cta"') :]
    assert "tel:" in cta and "mailto:" in cta
    assert settings.SCHOOL["PHONE"] in cta


def test_every_roles_page_has_its_own_title_and_description(client, demo_content):
    pages = [outline(client.get(url)) for url in DEMO_PAGES if "?" not in url]
    titles = [page.title.strip() for page in pages]
    descriptions = [page.descriptions[0] for page in pages]
    assert len(set(titles)) == len(titles)
    assert len(set(descriptions)) == len(descriptions)


def test_roles_index_explains_the_system_lists_the_roles_and_the_ladder(client, demo_content):
    response = client.get(reverse("roles:index"))
    html = response.content.decode()
    assert "EMS is a system" in html
    assert "911" in html and "dispatcher" in html and "medical direction" in html
    for role in Role.objects.all():
        assert role.get_absolute_url() in html
    ladder = html[html.index('id="ladder-title"') :]
    positions = [ladder.index(f'href="/roles/{slug}/"') for slug in ("emr", "emt", "aemt", "paramedic")]
    assert positions == sorted(positions)
    assert reverse("roles:guide", kwargs={"slug": "ems-vs-emt"}) in html


def test_level_page_answers_a_prospective_students_questions(client, demo_content):
    response = client.get(reverse("roles:detail", kwargs={"slug": "paramedic"}))
    level = response.context["level"]
    assert level.slug == "paramedic"
    html = response.content.decode()
    for text in (
        level.training_hours,
        level.training_length,
        "Certification needed first",
        'href="/roles/emt/"',
        "Minimum age",
        "Scope of practice",
        "Reading 12-lead ECGs",
        "Exam",
        "Recertification",
        "May drive an ambulance",
        "Direct patient contact",
        "Typical employers",
        'href="/roles/community-paramedic/"',
    ):
        assert text in html


def test_level_pages_say_which_next_level_does_not_need_them(client, demo_content):
    emr = client.get(reverse("roles:detail", kwargs={"slug": "emr"})).content.decode()
    leads = emr[emr.index('id="leads-title"') :].split("</ul>")[0]
    assert '<a href="/roles/emt/">Emergency Medical Technician</a>' in leads
    assert "You do not need EMR certification to start it." in leads
    emt = client.get(reverse("roles:detail", kwargs={"slug": "emt"})).content.decode()
    leads = emt[emt.index('id="leads-title"') :].split("</ul>")[0]
    assert '<a href="/roles/paramedic/">Paramedic</a>' in leads
    assert "You do not need" not in leads


def test_emr_page_shows_the_schools_advice_against_emr_training(client, demo_content):
    html = client.get(reverse("roles:detail", kwargs={"slug": "emr"})).content.decode()
    assert "Our advice" in html
    assert "We advise against EMR training unless you have a specific need" in html


def test_level_page_leaves_a_slot_for_programs_and_links_to_a_comparison(client, demo_content):
    html = client.get(reverse("roles:detail", kwargs={"slug": "emt"})).content.decode()
    assert "/roles/compare/?levels=emt," in html


def test_role_page_describes_the_role_and_lists_the_others(client, demo_content):
    response = client.get(reverse("roles:detail", kwargs={"slug": "medical-director"}))
    assert response.status_code == 200
    assert response.templates[0].name == "roles/role_detail.html"
    html = response.content.decode()
    assert "protocols" in html
    assert reverse("roles:detail", kwargs={"slug": "emergency-medical-dispatcher"}) in html


def test_unknown_slug_gets_the_404_page(client, demo_content):
    response = client.get("/roles/firefighter-astronaut/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_unknown_guide_gets_the_404_page(client):
    assert client.get("/guides/no-such-guide/").status_code == 404


def test_unpublished_guide_level_and_role_are_hidden_from_visitors(client):
    guide = make_guide(is_published=False)
    level = make_level(is_published=False)
    role = make_role(is_published=False)
    for record in (guide, level, role):
        assert client.get(record.get_absolute_url()).status_code == 404


def test_content_editors_can_preview_an_unpublished_guide(client, admin_user):
    guide = make_guide(is_published=False)
    sign_in(client, admin_user)
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview" in html
    assert '<meta name="robots" content="noindex">' in html


def test_compare_emt_and_paramedic_shows_both_columns_from_the_level_records(client, demo_content):
    response = client.get(reverse("roles:compare"), {"levels": "emt,paramedic"})
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    emt, paramedic = CertificationLevel.objects.filter(slug__in=["emt", "paramedic"]).order_by("ladder_order")
    assert '<th scope="col"><a href="/roles/emt/">Emergency Medical Technician</a></th>' in table
    assert '<th scope="col"><a href="/roles/paramedic/">Paramedic</a></th>' in table
    assert '<caption id="compare-caption">Emergency Medical Technician and Paramedic' in table
    for label in (
        "Training hours",
        "Scope of practice",
        "Certification needed first",
        "May drive an ambulance",
        "Exam",
    ):
        assert f'<th scope="row">{label}</th>' in table
    for level in (emt, paramedic):
        assert level.training_hours in table
        assert level.exam.split(".")[0] in table
        assert level.skills.first().name in table
    # Paramedic's prerequisite cell links to EMT, EMT's says None; each cell names its level (for phones).
    prerequisite_row = table[table.index("Certification needed first") :].split("</tr>")[0]
    assert '<td data-label="Emergency Medical Technician">None' in prerequisite_row
    assert (
        '<td data-label="Paramedic"><a href="/roles/emt/">Emergency Medical Technician</a>'
        in prerequisite_row
    )


def test_compare_without_a_query_shows_the_default_pair(client, demo_content):
    response = client.get(reverse("roles:compare"))
    assert response.context["comparison"].slugs == ["emt", "paramedic"]
    assert "You have not chosen any levels yet" in response.content.decode()


def test_comparison_of_emr_shows_the_advice_row(client, demo_content):
    html = client.get(reverse("roles:compare"), {"levels": "emr,emt"}).content.decode()
    assert '<th scope="row">Our advice</th>' in html
    assert "We advise against EMR training" in html


def test_comparison_says_emrs_give_hands_on_care_and_what_many_states_limit(client, demo_content):
    html = client.get(reverse("roles:compare"), {"levels": "emr,emt"}).content.decode()
    row = html[html.index('<tr class="compare-row-patient-contact">') :].split("</tr>")[0]
    assert '<th scope="row">Direct patient contact</th>' in row
    emr, emt = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert emr.startswith("Yes<span")
    assert "Hands-on first care at the scene" in emr
    assert "looking after the patient in the ambulance on the way to hospital" in emr
    assert emt.startswith("Yes")


@pytest.mark.parametrize("url", ["/roles/emr/", "/roles/compare/?levels=emr,emt", "/faq/", "/programs/emr/"])
def test_no_page_says_emrs_may_not_touch_patients(client, demo_content, url):
    html = client.get(url).content.decode()
    assert "EMR" in html
    assert "may not have direct patient contact" not in html
    assert "in many states an EMR may not" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("levels=", "You have not chosen any levels yet"),
        ("levels=emt", "at least two levels"),
        ("levels=astronaut", "We have no level called “astronaut”"),
        ("&".join(["levels=emt"] * 50), "more than once"),
        ("levels=%C3%A9mt,%E6%95%91", "We have no levels called “émt” or “救”"),
        ("levels=%FF%FE", "We have no level called"),
        ("levels=emt,emt,paramedic", "more than once"),
        ("levels=" + ",".join(["x"] * 500), "We have no level called “x”"),
        ("levels[]=emt&levels=paramedic", "at least two levels"),
    ],
)
def test_odd_compare_queries_get_a_clear_message_not_a_500(client, demo_content, query, expected):
    response = client.get(f"{reverse('roles:compare')}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert len(response.context["comparison"].levels) >= 2


def test_compare_echoes_hostile_values_escaped(client, demo_content):
    html = client.get(reverse("roles:compare"), {"levels": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_compare_form_ticks_the_levels_shown_and_works_without_javascript(client, demo_content):
    html = client.get(reverse("roles:compare"), {"levels": ["emr", "aemt"]}).content.decode()
    form = html[html.index('<form class="compare-form"') : html.index("</form>")]
    assert 'method="get"' in form
    assert 'value="emr" id="compare-emr" checked' in form
    assert 'value="aemt" id="compare-aemt" checked' in form
    assert 'value="emt" id="compare-emt">' in form
    assert 'type="submit"' in form


def test_compare_table_is_wrapped_so_the_page_never_scrolls_sideways(client, demo_content):
    html = client.get(reverse("roles:compare")).content.decode()
    assert html.index('class="table-responsive') < html.index("<table")


def test_guide_page_renders_the_markdown_body(client, demo_content):
    guide = Guide.objects.get(slug="ems-vs-emt")
    response = client.get(guide.get_absolute_url())
    html = response.content.decode()
    assert f'<h1 id="guide-title">{guide.title}</h1>' in html
    assert "<h2>EMS is a system</h2>" in html
    assert '<a href="/roles/compare/?levels=emt,paramedic" rel="noopener">' in html
    assert '"@type": "Article"' in html
    assert "Updated <time" in html


def test_faq_groups_at_least_twelve_questions_by_topic(client, demo_content):
    response = client.get(reverse("roles:faq"))
    html = response.content.decode()
    topics = response.context["topics"]
    assert len(topics) >= 2
    assert sum(len(topic.published_entries) for topic in topics) >= 12
    for topic in topics:
        assert f'<h2 id="topic-{topic.slug}">{topic.name}</h2>' in html
    assert '"@type": "FAQPage"' in html


def test_faq_with_no_entries_still_offers_a_way_to_ask(client):
    response = client.get(reverse("roles:faq"))
    assert response.status_code == 200
    assert 'class="cta"' in response.content.decode()


def test_home_page_shows_the_ladder_with_summaries_and_training_length(client, demo_content):
    html = client.get(reverse("home")).content.decode()
    section = html[html.index('id="ladder-title"') :]
    for level in CertificationLevel.objects.ladder():
        assert level.get_absolute_url() in section
        assert level.summary.replace("'", "&#x27;") in section
        assert level.training_hours in section
    assert reverse("roles:guide", kwargs={"slug": "ems-vs-emt"}) in section
    assert reverse("roles:compare") in section


def test_home_page_hides_the_guide_link_when_the_guide_is_unpublished(client, demo_content):
    Guide.objects.filter(slug="ems-vs-emt").update(is_published=False)
    html = client.get(reverse("home")).content.decode()
    assert "/guides/ems-vs-emt/" not in html


def test_header_links_to_the_roles_and_faq_pages(client, demo_content):
    html = client.get(reverse("home")).content.decode()
    assert 'href="/roles/"' in html
    assert 'href="/faq/"' in html


def test_roles_pages_are_cached_for_anonymous_visitors(client, demo_content):
    client.get("/roles/emt/")
    assert client.get("/roles/emt/")["X-Page-Cache"] == "hit"
