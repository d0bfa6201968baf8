"""The pages a student reads before trusting the school with their details: accreditation and approval,
costs and ways to pay, refunds, terms, privacy and accessibility, linked from every page's footer. What is
the school's own policy comes from settings.SCHOOL_STATEMENTS, never from the templates."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from tests.enrollment.conftest import make_cohort, make_program

pytestmark = pytest.mark.django_db

PAGES = {
    "sitepages:accreditation": "Accreditation and approval",
    "sitepages:paying": "Costs and ways to pay",
    "sitepages:refunds": "Refund policy",
    "sitepages:terms": "Terms of use",
    "sitepages:privacy": "Privacy notice",
    "sitepages:accessibility": "Accessibility",
}
STATEMENT_KEYS = (
    "APPROVAL",
    "ACCREDITATION",
    "DEPOSIT",
    "BALANCE",
    "PAYMENT_PLAN",
    "EMPLOYER_SPONSORSHIP",
    "FUNDING",
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", heading).strip()
        for heading in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
    ]


@pytest.mark.parametrize("name,title", PAGES.items(), ids=list(PAGES))
def test_page_answers_with_its_heading_and_more_headings_in_order(client, name, title):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html) == [title]
    assert f"<title>{title} · " in html
    assert len(headings(html)) >= 3


@pytest.mark.parametrize("url", ["/", "/roles/", "/faq/", "/programs/", "/contact/", "/privacy/"])
def test_every_page_footer_links_the_trust_pages_and_the_admissions_contact(client, settings, url):
    html = client.get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]

    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer, name
    assert f'href="mailto:{settings.SCHOOL["ADMISSIONS_EMAIL"]}"' in footer
    assert settings.SCHOOL["PHONE"] in footer
    assert settings.SCHOOL["STREET"] in footer


def test_statements_come_from_the_settings_not_the_templates(client, settings):
    settings.SCHOOL_STATEMENTS = {
        **settings.SCHOOL_STATEMENTS,
        **{key: f"Statement {key} as the school words it." for key in STATEMENT_KEYS},
        "REFUND_POLICY": ["Refund rule one.", "Refund rule two."],
        "TERMS": ["Term one."],
    }

    accreditation = client.get(reverse("sitepages:accreditation")).content.decode()
    paying = client.get(reverse("sitepages:paying")).content.decode()
    refunds = client.get(reverse("sitepages:refunds")).content.decode()
    terms = client.get(reverse("sitepages:terms")).content.decode()

    assert "Statement APPROVAL as the school words it." in accreditation
    assert "Statement ACCREDITATION as the school words it." in accreditation
    for key in ("DEPOSIT", "BALANCE", "PAYMENT_PLAN", "EMPLOYER_SPONSORSHIP", "FUNDING"):
        assert f"Statement {key} as the school words it." in paying, key
    assert "<li>Refund rule one.</li>" in refunds and "<li>Refund rule two.</li>" in refunds
    assert "<li>Term one.</li>" in terms


def test_the_default_statements_are_the_demo_schools_and_cover_every_page(settings):
    statements = settings.SCHOOL_STATEMENTS
    for key in (*STATEMENT_KEYS, "STATE", "STATE_EMS_OFFICE"):
        assert statements[key].strip(), key
    assert len(statements["REFUND_POLICY"]) >= 3
    assert "ask us" in statements["FUNDING"].lower()  # whether a course is approved: the school answers


def test_a_refund_policy_from_the_environment_is_one_rule_a_line(tmp_path):
    import subprocess
    import sys

    env = {
        "DJANGO_DEBUG": "1",
        "SCHOOL_REFUND_POLICY": "First rule.\n\nSecond rule.\n",
        "PATH": "/usr/bin:/bin",
    }
    code = "from django.conf import settings; print(settings.SCHOOL_STATEMENTS['REFUND_POLICY'])"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='emsprogram.settings'; django.setup(); {code}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "['First rule.', 'Second rule.']", result.stderr


def test_privacy_notice_takes_the_retention_period_from_the_setting(client, settings):
    settings.DATA_RETENTION_DAYS = 90
    html = client.get(reverse("sitepages:privacy")).content.decode()
    assert "Our retention period is 90 days." in html
    assert "deleted 90 days after" in html

    settings.DATA_RETENTION_DAYS = 730
    html = client.get(reverse("sitepages:privacy")).content.decode()
    assert "Our retention period is 730 days (about 2 years)." in html


def test_privacy_notice_says_what_is_stored_why_who_sees_it_and_how_to_ask(client, settings):
    html = client.get(reverse("sitepages:privacy")).content.decode()
    for heading in ("What the forms store", "Why we keep it", "Who can see it", "How long we keep it"):
        assert heading in headings(html)
    assert "date of birth" in html
    assert f'href="mailto:{settings.SCHOOL["ADMISSIONS_EMAIL"]}"' in html


def test_costs_page_lists_each_published_program_with_its_total_and_deposit(client, levels):
    emt = make_program(level=levels["emt"], name="EMT", tuition=Decimal("1650"), deposit=Decimal("250"))
    emt.fees.create(name="Books", amount=Decimal("185"))
    make_program(level=levels["emt"], name="Draft course", tuition=Decimal("99"), is_published=False)

    html = client.get(reverse("sitepages:paying")).content.decode()

    assert re.search(r">EMT</a></th><td[^>]*>\$1,835</td><td[^>]*>\$250</td>", html)
    assert "Draft course" not in html


def test_accreditation_page_links_each_programs_results(client, levels):
    program = make_program(level=levels["paramedic"], name="Paramedic")
    html = client.get(reverse("sitepages:accreditation")).content.decode()
    assert f'href="{program.get_absolute_url()}#outcomes-title"' in html


def test_program_page_links_the_accreditation_and_the_ways_to_pay(client, levels):
    program = make_program(level=levels["emt"], deposit=Decimal("100"))
    make_cohort(program=program)
    html = client.get(program.get_absolute_url()).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    for name in ("sitepages:accreditation", "sitepages:paying", "sitepages:refunds"):
        assert f'href="{reverse(name)}"' in main, name


def test_print_stylesheet_is_linked_for_print_only(client, levels):
    program = make_program(level=levels["emt"])
    html = client.get(program.get_absolute_url()).content.decode()
    [link] = re.findall(r'<link rel="stylesheet" href="[^"]*print[^"]*"[^>]*>', html)
    assert 'media="print"' in link
    assert 'integrity="sha384-' in link


# Share images


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(BytesIO(content)).size


def test_program_page_names_its_own_share_image_at_an_absolute_address_on_our_origin(
    client, settings, levels
):
    settings.SITE_URL = "https://ems.example.org"
    program = make_program(level=levels["emt"], slug="emt")

    html = client.get(program.get_absolute_url()).content.decode()

    [image] = re.findall(r'<meta property="og:image" content="([^"]+)">', html)
    assert image == "https://ems.example.org/programs/emt/share.png"
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_share_image_is_a_png_drawn_from_the_programs_data(client, levels):
    program = make_program(level=levels["emt"], slug="emt", tuition=Decimal("1000"))
    url = reverse("sitepages:program-share-image", kwargs={"slug": "emt"})

    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert png_size(first.content) == (1200, 630)

    program.tuition = Decimal("2000")
    program.save()
    assert client.get(url).content != first.content  # the new price is drawn


def test_share_image_of_a_draft_or_unknown_program_is_not_found(client, levels):
    make_program(level=levels["emt"], slug="draft", is_published=False)
    assert client.get("/programs/draft/share.png").status_code == 404
    assert client.get("/programs/nothing/share.png").status_code == 404


def test_other_pages_share_the_schools_image(client, settings):
    settings.SITE_URL = "https://ems.example.org"
    html = client.get(reverse("sitepages:privacy")).content.decode()
    assert '<meta property="og:image" content="https://ems.example.org/share.png">' in html
    assert png_size(client.get("/share.png").content) == (1200, 630)


def test_sitemap_lists_the_pages_about_the_school(client, settings):
    settings.SITE_URL = "https://ems.example.org"
    body = client.get("/sitemap.xml").content.decode()
    for name in PAGES:
        assert f"<loc>https://ems.example.org{reverse(name)}</loc>" in body, name
