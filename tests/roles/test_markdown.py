import pytest
from django.urls import reverse

from roles.markdown import render_markdown
from tests.roles.factories import make_faq, make_guide

HOSTILE_BODIES = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<p onclick="alert(1)" onmouseover="alert(2)">hello</p>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)><circle /></svg>",
    "<style>body { display: none }</style>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    '<form action="https://evil.example"><input name="q"></form>',
    "<!-- <script>alert(1)</script> -->",
    '<a href="vbscript:msgbox(1)">vb</a>',
]


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_hostile_markdown_cannot_inject_script_or_event_handlers(body):
    html = render_markdown(body).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onclick",
        "onmouseover",
        "onload",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<svg",
        "<style",
        "style=",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<img",
    ):
        assert forbidden not in html


def test_script_content_is_removed_not_just_its_tags():
    assert "alert" not in render_markdown("Hello <script>alert('x')</script> world")


def test_ordinary_markdown_survives():
    html = render_markdown("## Training\n\nIt takes **weeks**, not *years*.\n\n- one\n- two")
    assert "<h2>Training</h2>" in html
    assert "<strong>weeks</strong>" in html
    assert "<em>years</em>" in html
    assert "<li>one</li>" in html


def test_links_keep_safe_addresses_and_get_rel_noopener():
    html = render_markdown(
        "[guide](/guides/ems-vs-emt/) [nremt](https://www.nremt.org) [mail](mailto:a@b.org)"
    )
    assert '<a href="/guides/ems-vs-emt/" rel="noopener">guide</a>' in html
    assert '<a href="https://www.nremt.org" rel="noopener">nremt</a>' in html
    assert 'href="mailto:a@b.org"' in html


def test_a_top_level_heading_becomes_h2_because_the_page_title_is_the_h1():
    html = render_markdown("# Big\n\ntext")
    assert "<h1" not in html
    assert "<h2>Big</h2>" in html


def test_faq_answers_lose_heading_tags_but_keep_their_words():
    html = render_markdown("## Aside\n\nThe answer.", headings=False)
    assert "<h2" not in html
    assert "Aside" in html
    assert "<p>The answer.</p>" in html


@pytest.mark.django_db
def test_guide_page_with_a_hostile_body_renders_it_harmless(client):
    guide = make_guide(body="Intro\n\n<script>alert('pwned')</script>\n\n<img src=x onerror=alert(1)>")
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "alert('pwned')" not in html
    assert "onerror" not in html
    assert "Intro" in html


@pytest.mark.django_db
def test_faq_answers_are_sanitised_like_guides(client):
    make_faq(answer='Answer <a href="javascript:alert(1)" onclick="x()">here</a>')
    html = client.get(reverse("roles:faq")).content.decode()
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "here</a>" in html
