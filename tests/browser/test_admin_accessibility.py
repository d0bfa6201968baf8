"""The staff side held to the public site's bar (DESIGN.md section 6): every admin page staff use, signed in
through the sign-in pages as an Admissions officer, a Content editor or a superuser, over the demo school,
scanned by axe-core at 1280x900 and 375x812 with no violations; on a phone the pages fit the screen and the
lists' filters and pagination can be tapped; and the admissions officer's daily path (a status change from
the list) is short from the keyboard, its result announced."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from enrollment import services
from enrollment.demo import FULL_COHORT, SAVED_ANSWERS
from enrollment.models import Application, Cohort, EmailAttempt, EmailNotification, Program, SavedAnswer
from infosessions.demo import FULL_SESSION
from infosessions.models import InfoSession
from roles.models import FAQ, CertificationLevel, FAQTopic, Guide, Role
from tests.browser.chromium import DESKTOP, PHONE
from tests.browser.helpers import (
    STAFF_PASSWORD,
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    goto,
    staff_password_step,
    staff_sign_in,
    tab_to,
)
from tests.enrollment.conftest import make_program, submit
from tests.signin import enrolled_device
from tests.staff.conftest import ADMISSIONS, CONTENT_EDITORS, make_staff

SCREENS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def school(demo_content, django_user_model):
    """The demo school, its staff (one per kind of account, with passwords for the sign-in pages), and what
    staff pages show besides: a note on an application, an enquiry with a note, an answer and another
    enquiry from the same person, an e-mail that failed twice, a draft program."""
    officer = make_staff(
        django_user_model,
        "officer",
        group=ADMISSIONS,
        password=STAFF_PASSWORD,
        first_name="Dana",
        last_name="Officer",
    )
    editor = make_staff(
        django_user_model,
        "editor",
        group=CONTENT_EDITORS,
        password=STAFF_PASSWORD,
        first_name="Eli",
        last_name="Editor",
    )
    superuser = django_user_model.objects.create_superuser(
        "operator", "operator@staff.example.org", STAFF_PASSWORD
    )
    cohort = Cohort.objects.get(code=FULL_COHORT)
    application = cohort.applications.filter(status=Application.Status.HELD).order_by("pk").first()
    services.application_note_add(
        application=application, text="Called: they will send the CPR card.", by=officer
    )
    services.application_assign(application=application, to=officer, by=officer)
    enquiry = services.enquiry_submit(
        name="Casey Demo",
        email="casey@example.org",
        message="When does the next EMT course start?",
        program=cohort.program,
        notify=False,
    )
    services.enquiry_note_add(enquiry=enquiry, text="Rang back, left a message.", by=officer)
    services.enquiry_reply(
        enquiry=enquiry, body="Hello {name},\n\nThe next starts:\n{next_starts}", by=officer
    )
    services.enquiry_submit(
        name="Casey Demo",
        email="Casey@Example.org",
        message="And the price?",
        program=cohort.program,
        notify=False,
    )
    saved_answer = SavedAnswer.objects.get(title=SAVED_ANSWERS[0][0])  # the demo's
    email = EmailNotification.objects.create(
        kind="status-change", status="failed", application=application, attempts=2, error="SMTPException"
    )
    for _ in range(2):
        EmailAttempt.objects.create(notification=email, succeeded=False, error="SMTPException")
    level = CertificationLevel.objects.get(slug="emt")
    draft = make_program(level=level, slug="night-emt", name="Night EMT", is_published=False)
    return SimpleNamespace(
        officer=officer,
        editor=editor,
        superuser=superuser,
        cohort=cohort,
        application=application,
        enquiry=enquiry,
        saved_answer=saved_answer,
        email=email,
        program=Program.objects.get(slug="emt"),
        draft=draft,
        level=level,
        role=Role.objects.order_by("pk").first(),
        guide=Guide.objects.order_by("pk").first(),
        topic=FAQTopic.objects.order_by("pk").first(),
        faq=FAQ.objects.order_by("pk").first(),
        admissions=officer.groups.get(),
        info_session=InfoSession.objects.get(title=FULL_SESSION),
        signup=InfoSession.objects.get(title=FULL_SESSION).signups.order_by("pk").first(),
    )


def admin_url(name, *args):
    return reverse(f"admin:{name}", args=args)


def url(name, record=None, query=""):
    """The path of an admin page: `name` (without "admin:"), for the school's `record` (an attribute)."""

    def path(school):
        args = [getattr(school, record).pk] if record else []
        return admin_url(name, *args) + query

    return path


# More than a page of the application list (Django shows 100 a page), for its pagination.
FILLER_APPLICATIONS = 100


def add_a_page_of_applications(school):
    cohort = Cohort.objects.get(code="EMT-EVE")
    for _ in range(FILLER_APPLICATIONS):
        submit(cohort, notify=False)


def choose_status_change(page: Page, school, action="action_application_withdraw"):
    """From the application list, the confirmation page of a status change for one application."""
    goto(page, f"{admin_url('enrollment_application_changelist')}?q={school.application.reference}")
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirm")


def code_step(page: Page, school):
    enrolled_device(school.officer)
    staff_password_step(page, school.officer.get_username())
    expect(page.get_by_role("heading", name="Sign-in code")).to_be_visible()


def recovery_code_step(page: Page, school):
    code_step(page, school)
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.get_by_role("heading", name="Recovery code")).to_be_visible()


def enrol_step(page: Page, school):
    TOTPDevice.objects.filter(user=school.officer).delete()
    staff_password_step(page, school.officer.get_username())
    expect(page).to_have_url(re.compile(r"/sign-in/enrol/$"))


def answer_preview(page: Page, school):
    """An enquiry's answer page: a saved answer put in the box (without JavaScript), then previewed."""
    goto(page, admin_url("enrollment_enquiry_reply", school.enquiry.pk))
    page.get_by_label("Saved answer").select_option(label=school.saved_answer.title)
    page.get_by_role("button", name="Use this saved answer").click()
    expect(page.get_by_label("Your answer")).to_have_value(re.compile("next starts of"))
    page.get_by_role("button", name="Preview the e-mail").click()
    expect(page.get_by_role("heading", name="The e-mail that will be sent")).to_be_visible()


def answer_refused(page: Page, school):
    """An enquiry's answer page after a preview refused: an unknown placeholder."""
    goto(page, admin_url("enrollment_enquiry_change", school.enquiry.pk))
    page.get_by_label("Your answer").fill("Hello {first_name}")
    page.get_by_role("button", name="Preview the e-mail").click()
    expect(page.get_by_text("{first_name} is not a placeholder")).to_be_visible()


def checklist_item_url(school):
    item = school.application.checklist.order_by("requirement__order").first()
    return admin_url("enrollment_application_checklist_item", school.application.pk, item.pk)


def verify_refused(page: Page, school):
    """An item's page after Verify without the expiry date its requirement needs (400)."""
    item = school.application.checklist.exclude(requirement__expiry="").order_by("requirement__order").first()
    goto(page, admin_url("enrollment_application_checklist_item", school.application.pk, item.pk))
    page.get_by_role("button", name=f"Verify {item.requirement.name}").click()
    expect(page.get_by_text("Enter the expiry date you read on the document.")).to_be_visible()


def seats_raised(page: Page, school):
    """A full start's page after Admissions raise its seats by one: who the new seat goes to, and the offer
    e-mail it sends, before they confirm."""
    goto(page, admin_url("enrollment_cohort_change", school.cohort.pk))
    page.get_by_label("Capacity").fill(str(school.cohort.capacity + 1))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_role("heading", name="Who the new seats go to")).to_be_visible()
    expect(page.get_by_role("heading", name="The e-mails the new seats send")).to_be_visible()


def phone_application_refused(page: Page, school):
    """The form for an application taken by phone, sent empty: every field says what it needs."""
    goto(page, f"{admin_url('enrollment_application_add')}?program={school.program.pk}")
    page.get_by_role("button", name="Enter the application").click()
    expect(page.get_by_text("Please correct the errors below.")).to_be_visible()


@dataclass(frozen=True)
class StaffPage:
    id: str
    who: str | None  # the school's user who opens it ("officer", "editor", "superuser"); None: signed out
    path: Callable[[SimpleNamespace], str] | None = None
    reach: Callable[[Page, SimpleNamespace], None] | None = None  # a page that is not a plain GET
    prepare: Callable[[SimpleNamespace], None] | None = None  # more data than the school has

    def open(self, page: Page, school) -> None:
        if self.reach is not None:
            self.reach(page, school)
        else:
            goto(page, self.path(school))


STAFF_PAGES = [
    # Signing in.
    StaffPage("login", None, url("login")),
    StaffPage("second-factor-code", None, reach=code_step),
    StaffPage("second-factor-recovery-code", None, reach=recovery_code_step),
    StaffPage("second-factor-enrol", None, reach=enrol_step),
    # Admissions: the front page and its attention panel; the lists with their filters open, a search, a
    # filter, a second page; each record with its inlines and history; the confirmations; the roster.
    StaffPage("index-admissions", "officer", url("index")),
    StaffPage("app-index", "officer", lambda school: admin_url("app_list", "enrollment")),
    StaffPage("application-list", "officer", url("enrollment_application_changelist")),
    StaffPage(
        "application-list-search", "officer", url("enrollment_application_changelist", query="?q=example")
    ),
    StaffPage(
        "application-list-filtered",
        "officer",
        url("enrollment_application_changelist", query="?status__exact=accepted&assignment=nobody"),
    ),
    StaffPage(
        "application-list-page-2",
        "officer",
        url("enrollment_application_changelist", query="?p=2"),
        prepare=add_a_page_of_applications,
    ),
    StaffPage("application", "officer", url("enrollment_application_change", "application")),
    StaffPage("application-history", "officer", url("enrollment_application_history", "application")),
    StaffPage("status-change-confirmation", "officer", reach=choose_status_change),
    StaffPage("export-confirmation", "officer", url("enrollment_application_export", "application")),
    StaffPage("checklist-item", "officer", checklist_item_url),
    StaffPage("checklist-verify-refused", "officer", reach=verify_refused),
    StaffPage(
        "hold-extend-confirmation",
        "officer",
        reach=lambda page, school: choose_status_change(page, school, "action_hold_extend"),
    ),
    StaffPage(
        "move-confirmation",
        "officer",
        reach=lambda page, school: choose_status_change(page, school, "action_application_move"),
    ),
    StaffPage(
        "application-by-phone",
        "officer",
        lambda school: f"{admin_url('enrollment_application_add')}?program={school.program.pk}",
    ),
    StaffPage("application-by-phone-refused", "officer", reach=phone_application_refused),
    StaffPage("enquiry-list", "officer", url("enrollment_enquiry_changelist", query="?q=EMT")),
    StaffPage("enquiry", "officer", url("enrollment_enquiry_change", "enquiry")),
    StaffPage("enquiry-history", "officer", url("enrollment_enquiry_history", "enquiry")),
    StaffPage("enquiry-answer", "officer", url("enrollment_enquiry_reply", "enquiry")),
    StaffPage("enquiry-answer-preview", "officer", reach=answer_preview),
    StaffPage("enquiry-answer-refused", "officer", reach=answer_refused),
    StaffPage("saved-answer-list", "officer", url("enrollment_savedanswer_changelist")),
    StaffPage("saved-answer", "officer", url("enrollment_savedanswer_change", "saved_answer")),
    StaffPage("saved-answer-add", "officer", url("enrollment_savedanswer_add")),
    StaffPage(
        "email-list", "officer", url("enrollment_emailnotification_changelist", query="?delivery=undelivered")
    ),
    StaffPage("email", "officer", url("enrollment_emailnotification_change", "email")),
    StaffPage("cohort-list-admissions", "officer", url("enrollment_cohort_changelist")),
    StaffPage("cohort-roster", "officer", url("enrollment_cohort_change", "cohort")),
    StaffPage("cohort-seats-raised", "officer", reach=seats_raised),
    StaffPage("program-admissions", "officer", url("enrollment_program_change", "program")),
    StaffPage("password-change", "officer", url("password_change")),
    StaffPage("info-session-admissions", "officer", url("infosessions_infosession_change", "info_session")),
    StaffPage("signup-list", "officer", url("infosessions_sessionsignup_changelist")),
    StaffPage("signup", "officer", url("infosessions_sessionsignup_change", "signup")),
    StaffPage("reports", "officer", url("reports")),
    # Content editors: programs (with their fees and outcomes) and their drafts' preview, cohorts, levels (with
    # their skills), roles, guides, the FAQ; the lists, the pages, the pages that add one.
    StaffPage("index-editor", "editor", url("index")),
    StaffPage("program-list", "editor", url("enrollment_program_changelist", query="?q=EMT")),
    StaffPage("program", "editor", url("enrollment_program_change", "program")),
    StaffPage("program-add", "editor", url("enrollment_program_add")),
    StaffPage("program-preview", "editor", url("enrollment_program_preview", "draft")),
    StaffPage("cohort-list", "editor", url("enrollment_cohort_changelist", query="?q=EMT")),
    StaffPage("cohort", "editor", url("enrollment_cohort_change", "cohort")),
    StaffPage("cohort-add", "editor", url("enrollment_cohort_add")),
    StaffPage("info-session-list", "editor", url("infosessions_infosession_changelist")),
    StaffPage("info-session", "editor", url("infosessions_infosession_change", "info_session")),
    StaffPage("info-session-add", "editor", url("infosessions_infosession_add")),
    StaffPage("level-list", "editor", url("roles_certificationlevel_changelist", query="?q=EMT")),
    StaffPage("level", "editor", url("roles_certificationlevel_change", "level")),
    StaffPage("level-add", "editor", url("roles_certificationlevel_add")),
    StaffPage("role-list", "editor", url("roles_role_changelist")),
    StaffPage("role", "editor", url("roles_role_change", "role")),
    StaffPage("role-add", "editor", url("roles_role_add")),
    StaffPage("guide-list", "editor", url("roles_guide_changelist")),
    StaffPage("guide", "editor", url("roles_guide_change", "guide")),
    StaffPage("guide-add", "editor", url("roles_guide_add")),
    StaffPage("faq-topic-list", "editor", url("roles_faqtopic_changelist")),
    StaffPage("faq-topic", "editor", url("roles_faqtopic_change", "topic")),
    StaffPage("faq-topic-add", "editor", url("roles_faqtopic_add")),
    StaffPage("faq-list", "editor", url("roles_faq_changelist", query="?q=EMT")),
    StaffPage("faq", "editor", url("roles_faq_change", "faq")),
    StaffPage("faq-add", "editor", url("roles_faq_add")),
    # Superusers: staff accounts and groups, and a colleague's second factor.
    StaffPage("index-superuser", "superuser", url("index")),
    StaffPage("user-list", "superuser", url("auth_user_changelist", query="?q=officer")),
    StaffPage("user", "superuser", url("auth_user_change", "officer")),
    StaffPage("user-add", "superuser", url("auth_user_add")),
    StaffPage("second-factor-reset", "superuser", url("auth_user_second_factor_reset", "officer")),
    StaffPage("group-list", "superuser", url("auth_group_changelist")),
    StaffPage("group", "superuser", url("auth_group_change", "admissions")),
]

each_staff_page = pytest.mark.parametrize("staff_page", STAFF_PAGES, ids=lambda staff_page: staff_page.id)
each_screen = pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))


def staff_browser_page(new_context, school, who, screen, *, bypass_csp=False) -> Page:
    """A page at `screen`, signed in through the sign-in pages as the school's `who` (None: signed out)."""
    page = new_context(bypass_csp=bypass_csp, **SCREENS[screen]).new_page()
    if who is not None:
        staff_sign_in(page, getattr(school, who))
    return page


def open_staff_page(new_context, school, staff_page, screen, *, bypass_csp=False) -> Page:
    if staff_page.prepare is not None:
        staff_page.prepare(school)
    page = staff_browser_page(new_context, school, staff_page.who, screen, bypass_csp=bypass_csp)
    staff_page.open(page, school)
    return page


@each_screen
@each_staff_page
def test_staff_page_has_no_axe_violations(new_context, school, staff_page, screen):
    page = open_staff_page(new_context, school, staff_page, screen, bypass_csp=True)

    assert_no_axe_violations(page)


@each_staff_page
def test_staff_page_has_one_h1_and_fits_a_phone(new_context, school, staff_page):
    page = open_staff_page(new_context, school, staff_page, "phone")

    expect(page.locator("h1")).to_have_count(1)
    assert_no_horizontal_scroll(page)


def test_on_a_phone_the_attention_panel_is_one_block_per_cohort(new_context, school):
    page = staff_browser_page(new_context, school, "officer", "phone")
    goto(page, admin_url("index"))

    rows = page.evaluate(
        """() => [...document.querySelectorAll('.attention-cohorts tbody tr')].map((row) => {
            const code = row.querySelector('th');
            const range = document.createRange();
            range.selectNodeContents(code);
            return {
                code: code.innerText.trim(),
                codeLines: new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size,
                right: row.getBoundingClientRect().right,
                labels: [...row.querySelectorAll('td')].map((cell) =>
                    getComputedStyle(cell, '::before').content),
            };
        })"""
    )
    assert any(row["code"] == FULL_COHORT for row in rows), rows
    for row in rows:
        assert row["codeLines"] == 1, row
        assert row["right"] <= PHONE["viewport"]["width"], row
        assert '"Seats left: "' in " ".join(row["labels"]), row


TAP_TARGETS = "#changelist-filter a, #changelist-filter summary, .paginator a"
MIN_TARGET = 24  # px each way, WCAG 2.5.8 Target Size (Minimum)


@each_screen
def test_list_filters_and_pages_can_be_tapped(new_context, school, screen):
    add_a_page_of_applications(school)
    page = staff_browser_page(new_context, school, "officer", screen)
    goto(page, admin_url("enrollment_application_changelist"))

    targets = page.locator(TAP_TARGETS)
    expect(page.locator(".paginator a")).not_to_have_count(0)
    boxes = [(target.inner_text().strip(), target.bounding_box()) for target in targets.all()]
    assert len(boxes) > 30
    too_small = [
        f"{text!r} {box['width']:.0f}x{box['height']:.0f}"
        for text, box in boxes
        if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET
    ]
    assert not too_small, f"targets under {MIN_TARGET}x{MIN_TARGET} px: {too_small}"


# What a screen reader is told: text that comes into a live region once the page has loaded (what is in one
# as the page is read out is not announced). Recorded from the start of every page the test opens.
RECORD_ANNOUNCEMENTS = """
window.__announced = [];
new MutationObserver((mutations) => {
    if (document.readyState === "loading") return;
    for (const mutation of mutations) {
        const target = mutation.target.nodeType === Node.ELEMENT_NODE
            ? mutation.target : mutation.target.parentElement;
        const region = target && target.closest('[aria-live="polite"], [aria-live="assertive"], [role="status"], [role="alert"]');
        if (!region) continue;
        for (const node of mutation.addedNodes) {
            const text = node.textContent.replace(/\\s+/g, " ").trim();
            if (text) window.__announced.push(text);
        }
    }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""

# The common path is short: at most this many Tabs from the top of the list to the fifth row's box, and from
# the box to the menu of actions.
TABS_TO_THE_FIFTH_ROW = 15
TABS_TO_THE_ACTIONS = 5


def test_the_officer_withdraws_the_fifth_application_from_the_keyboard_and_hears_it_done(
    page, school, policy_errors
):
    staff_sign_in(page, school.officer)
    page.context.add_init_script(RECORD_ANNOUNCEMENTS)
    goto(page, admin_url("enrollment_application_changelist"))
    fifth_row = page.locator("#result_list tbody tr").nth(4)
    reference = fifth_row.locator("th.field-reference").inner_text().strip()
    application = Application.objects.get(reference=reference)
    assert application.is_live

    # From the top, past the header, the filters and the search, to the fifth row's box.
    tabs = tab_to(page, page.get_by_role("link", name="Skip to results"))
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    box = fifth_row.get_by_role("checkbox")
    tabs += tab_to(page, box)
    assert tabs <= TABS_TO_THE_FIFTH_ROW, f"{tabs} Tabs to the fifth row"
    page.keyboard.press("Space")
    expect(box).to_be_checked()

    # From the ticked box to the menu of actions, and "Withdraw" chosen and run.
    tabs = tab_to(page, fifth_row.get_by_role("link", name="To the actions"))
    page.keyboard.press("Enter")
    expect(page.locator("#actions")).to_be_focused()
    menu = page.get_by_role("combobox", name=re.compile("Action"))
    tabs += tab_to(page, menu)
    assert tabs <= TABS_TO_THE_ACTIONS, f"{tabs} Tabs from the fifth row's box to the actions"
    page.keyboard.type("Withdraw")
    expect(menu).to_have_value("action_application_withdraw")
    tab_to(page, page.get_by_role("button", name="Run"))
    page.keyboard.press("Enter")

    # The confirmation, confirmed from the keyboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw: confirm")
    expect(page.locator("#content-main")).to_contain_text(reference)
    tab_to(page, page.get_by_role("link", name="Skip to main content"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="Withdraw: confirm"))
    page.keyboard.press("Enter")

    # Back on the list, focus is on the result, which a screen reader announces.
    message = page.locator("#staff-messages")
    expect(message).to_be_focused()
    expect(message).to_contain_text(f"withdrawn: {reference}")
    expect(message).to_have_attribute("role", "status")
    expect(message).to_have_attribute("aria-live", "polite")
    announced = page.evaluate("window.__announced")
    assert any(f"withdrawn: {reference}" in text for text in announced), announced
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert not policy_errors
