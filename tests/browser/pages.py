"""The public pages every browser scan runs over (accessibility, skip link, phone layout, no JavaScript).

To scan another page, append one line to PUBLIC_PAGES. A page is named by its URL name, so a page whose app
has not landed yet is reported as skipped (with the reason) instead of silently missing from the run, and is
scanned as soon as its URL exists. Detail pages take the slug of a demo record (the `demo_content` fixture
loads them before the URL is worked out)."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse


def first_published_program() -> dict:
    """URL kwargs of the first published program of the demo content."""
    try:
        program_model = apps.get_model("enrollment", "Program")
    except LookupError:
        pytest.skip("enrollment has no Program model yet")
    program = program_model.objects.published().order_by("pk").first()
    if program is None:
        pytest.skip("the demo content has no published program")
    return {"slug": program.slug}


def first_info_session() -> dict:
    """URL kwargs of the first upcoming info session of the demo content."""
    try:
        session_model = apps.get_model("infosessions", "InfoSession")
    except LookupError:
        pytest.skip("infosessions has no InfoSession model yet")
    session = session_model.objects.for_public_display().first()
    if session is None:
        pytest.skip("the demo content has no upcoming info session")
    return {"pk": session.pk}


@dataclass(frozen=True)
class PublicPage:
    id: str  # the test id: test_...[id]
    url_name: str | None = None  # reversed with `kwargs`; or give a literal `path`
    kwargs: dict | Callable[[], dict] = field(default_factory=dict)
    path: str | None = None
    status: int = 200

    def url(self) -> str:
        """The path to open; skips the test when the URL name does not exist (yet)."""
        if self.path is not None:
            return self.path
        kwargs = self.kwargs() if callable(self.kwargs) else self.kwargs
        try:
            return reverse(self.url_name, kwargs=kwargs)
        except NoReverseMatch:
            pytest.skip(
                f"URL {self.url_name!r} (kwargs {kwargs}) does not reverse yet: the page is not built"
            )


PUBLIC_PAGES = [
    PublicPage("home", "home"),
    PublicPage("not-found", path="/no-such-page/", status=404),
    PublicPage("roles", "roles:index"),
    PublicPage("role-emr", "roles:detail", {"slug": "emr"}),
    PublicPage("role-emt", "roles:detail", {"slug": "emt"}),
    PublicPage("role-paramedic", "roles:detail", {"slug": "paramedic"}),
    # A Role (roles/role_detail.html), not a certification level.
    PublicPage("role-dispatcher", "roles:detail", {"slug": "emergency-medical-dispatcher"}),
    PublicPage("compare", "roles:compare"),
    PublicPage("guide-ems-vs-emt", "roles:guide", {"slug": "ems-vs-emt"}),
    PublicPage("faq", "roles:faq"),
    PublicPage("programs", "enrollment:program-list"),
    PublicPage("program", "enrollment:program-detail", first_published_program),
    PublicPage("apply", "enrollment:apply-start"),
    PublicPage("program-apply", "enrollment:apply", first_published_program),
    PublicPage("contact", "enrollment:contact"),
    # The pages about the school (sitepages) and the answers that decide enrolment (guides of the demo).
    PublicPage("accreditation", "sitepages:accreditation"),
    PublicPage("paying", "sitepages:paying"),
    PublicPage("refunds", "sitepages:refunds"),
    PublicPage("terms", "sitepages:terms"),
    PublicPage("privacy", "sitepages:privacy"),
    PublicPage("accessibility", "sitepages:accessibility"),
    PublicPage("guide-physical-demands", "roles:guide", {"slug": "physical-demands"}),
    PublicPage("guide-background-check", "roles:guide", {"slug": "background-check-and-drug-screen"}),
    PublicPage("guide-vaccinations", "roles:guide", {"slug": "vaccinations"}),
    PublicPage("guide-cpr-card", "roles:guide", {"slug": "cpr-card"}),
    PublicPage("guide-course-to-license", "roles:guide", {"slug": "from-course-to-license"}),
    PublicPage("guide-first-job", "roles:guide", {"slug": "first-ems-job"}),
    PublicPage("info-sessions", "infosessions:list"),
    PublicPage("info-session", "infosessions:detail", first_info_session),
]
