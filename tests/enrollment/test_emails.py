"""Every e-mail is one a person can act on: each kind, for applications in each status, has a text part and
an HTML part that say the same things, links that lead to the site, dates in the school's time zone, nobody
else's data, escaped typed text in HTML, short one-line subjects, and headers that keep auto-replies out.
What a preview builds (an unsaved notification) is what the outbox sends."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import dateformat, timezone
from django.utils.safestring import SafeData

from enrollment import emails, outbox, services
from enrollment.models import Application, EmailNotification
from tests.enrollment.email_samples import QUESTION, STAFF_MESSAGE, TYPED_NAME, make_school, notification

pytestmark = pytest.mark.django_db

Kind = EmailNotification.Kind
SITE_URL = "https://school.example"


@pytest.fixture
def school(settings):
    settings.SITE_URL = SITE_URL
    return make_school()


@pytest.fixture
def built(school):
    """name -> (notification, the e-mail `build` makes of it)."""
    return {name: (owed, emails.build(owed)) for name, owed in school.emails()}


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


class VisibleText(HTMLParser):
    """The text a reader sees in the HTML part: no head, no hidden preheader; list items with their marker
    ("- ", "1. "); a web link followed by its address (": https://..."), as the text part writes it."""

    BLOCKS = {"p", "div", "h1", "h2", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "br", "footer"}
    EMPTY = {"meta", "br", "hr", "img", "input", "link"}  # no end tag

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.lists, self.skipping, self.href = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.EMPTY:
            if tag in self.BLOCKS and not self.skipping:
                self.parts.append(" ")
            return
        if (
            self.skipping
            or tag in ("head", "style", "title")
            or "display: none" in (attrs.get("style") or "")
        ):
            self.skipping += 1
            return
        if tag in self.BLOCKS:
            self.parts.append(" ")
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            self.lists[-1][1] += 1
            self.parts.append(f"{self.lists[-1][1]}. " if self.lists[-1][0] == "ol" else "- ")
        elif tag == "a":
            self.href, self.link_start = attrs["href"], len(self.parts)

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        if tag in ("ul", "ol"):
            self.lists.pop()
        elif tag == "a":
            label = "".join(self.parts[self.link_start :]).strip()
            if self.href.startswith("http") and label != self.href:
                self.parts.append(f": {self.href}")
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return normalised("".join(parser.parts))


def normalised(text: str) -> str:
    return " ".join(text.split())


# Every kind, both parts


def test_every_kind_and_every_status_has_an_email(school):
    names = {name for name, _ in school.emails()}
    kinds = {owed.kind for _, owed in school.emails()}
    statuses = {owed.payload["status"] for _, owed in school.emails() if owed.kind == Kind.STATUS_CHANGE}
    assert kinds == set(Kind.values) == set(emails.KINDS)
    # An offer and its expiry are kinds of their own; a course's start is not e-mailed.
    assert statuses == set(Application.Status.values) - {"offered", "expired", "started"}
    assert len(names) == len(school.emails())


def test_every_email_has_a_text_part_and_an_html_part(built):
    for name, (_, message) in built.items():
        assert message.content_subtype == "plain", name
        assert message.body.strip(), name
        assert html_of(message).startswith("<!DOCTYPE html>"), name


def test_the_text_part_says_what_the_html_part_shows(built):
    for name, (_, message) in built.items():
        assert normalised(message.body) == visible_text(html_of(message)), name


def test_the_html_part_is_a_page_with_real_headings_in_light_and_dark_and_loads_nothing(built):
    for name, (_, message) in built.items():
        html = html_of(message)
        assert '<html lang="en"' in html, name
        assert f"<title>{message.subject}</title>" in html.replace("&#x27;", "'"), name
        assert html.count("<h1>") == 1, name
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html, name
        assert "@media (prefers-color-scheme: dark)" in html, name
        # No image, no font, no script, nothing fetched: an e-mail tells nobody when it is read.
        for loader in ("<img", "<script", "<link", "<iframe", "url(", "@import", "src="):
            assert loader not in html, (name, loader)


def test_the_text_part_is_plain_text_and_never_a_safe_string(built):
    for name, (_, message) in built.items():
        assert not isinstance(message.body, SafeData), name
        assert "<p>" not in message.body and "&lt;" not in message.body and "&amp;" not in message.body, name


# Links, dates, other people's data


def test_every_link_leads_to_the_site_or_to_admissions(built, settings):
    for name, (_, message) in built.items():
        hrefs = re.findall(r'href="([^"]*)"', html_of(message))
        assert hrefs, name
        for href in hrefs:
            assert href.startswith((f"{SITE_URL}/", "mailto:", "tel:")) or href == SITE_URL, (name, href)
        for url in re.findall(r"\bhttps?://\S+", message.body):
            assert url == SITE_URL or url.startswith(f"{SITE_URL}/"), (name, url)


def test_emails_to_people_lead_to_the_pages_they_need(built):
    declined = built["status-declined"][1].body
    assert f"{SITE_URL}/apply/" in declined and f"{SITE_URL}/contact/" in declined
    assert f"{SITE_URL}/apply/" in built["confirmation-waitlist"][1].body
    notice, owed = built["admissions-notice"][1], built["admissions-notice"][0]
    assert f"{SITE_URL}/admin/enrollment/application/{owed.application.pk}/change/" in notice.body
    enquiry_notice, owed = built["enquiry-notice"][1], built["enquiry-notice"][0]
    assert f"{SITE_URL}/admin/enrollment/enquiry/{owed.enquiry.pk}/change/" in enquiry_notice.body


def test_dates_and_times_are_the_schools_whoever_renders_them(school, settings):
    settings.TIME_ZONE = "America/New_York"
    arrived = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)  # 10:30 pm on 1 March in New York
    Application.objects.filter(pk=school.waiting.pk).update(submitted_at=arrived)
    school.enquiry.__class__.objects.filter(pk=school.enquiry.pk).update(submitted_at=arrived)
    school.waiting.refresh_from_db()
    school.enquiry.refresh_from_db()
    with timezone.override(ZoneInfo("Asia/Tokyo")):  # as a request in another time zone would be
        for owed in (
            notification(Kind.APPLICATION_CONFIRMATION, school.waiting),
            notification(Kind.ADMISSIONS_NOTICE, school.waiting),
            notification(Kind.ENQUIRY_ACKNOWLEDGEMENT, enquiry=school.enquiry),
            notification(Kind.ENQUIRY_NOTICE, enquiry=school.enquiry),
        ):
            message = emails.build(owed)
            for part in (normalised(message.body), visible_text(html_of(message))):
                assert "Received: March 1, 2026, 10:30 PM EST" in part, owed.kind
                assert "March 2" not in part, owed.kind


def test_no_other_persons_data_appears(school, built):
    people = {
        school.seat.pk: school.seat,
        school.waiting.pk: school.waiting,
        school.minor.pk: school.minor,
    }
    for name, (owed, message) in built.items():
        if owed.application is None:
            continue
        others = [person for pk, person in people.items() if pk != owed.application.pk]
        for part in (message.subject, message.body, html_of(message)):
            for other in others:
                for detail in (other.first_name, other.last_name, other.email, other.reference):
                    assert detail not in part, (name, detail)
        assert message.to == (
            ["admissions@example.org"] if emails.KINDS[owed.kind].staff_notice else [owed.application.email]
        )


def test_staff_notices_carry_no_personal_details(built):
    for name in ("admissions-notice", "enquiry-notice"):
        owed, message = built[name]
        person = owed.application or owed.enquiry
        for part in (message.subject, message.body, html_of(message)):
            assert person.email not in part, name
            assert "Hopper" not in part and "Curie" not in part and "parking" not in part, name


# Headers and subjects


def test_staff_notices_are_marked_auto_submitted_and_emails_to_people_are_not(built, settings):
    admissions = settings.SCHOOL["ADMISSIONS_EMAIL"]
    for name, (owed, message) in built.items():
        staff_notice = emails.KINDS[owed.kind].staff_notice
        headers = message.message()
        assert (headers["Auto-Submitted"] == "auto-generated") is staff_notice, name
        assert headers["Reply-To"] == admissions, name
        if staff_notice:
            assert message.to == [admissions], name


def test_subjects_are_one_short_line_with_the_key_words_first(built):
    for name, (_, message) in built.items():
        assert "\n" not in message.subject and "\r" not in message.subject, name
        assert len(message.subject) <= 60, (name, message.subject)
    assert built["confirmation-seat"][1].subject.startswith("You have a seat, starting ")
    assert built["confirmation-waitlist"][1].subject.startswith("You are number 1 on the waitlist")
    assert built["confirmation-again"][1].subject.startswith("Already in: you are number 1 on the waitlist")
    assert built["offer"][1].subject.startswith("Seat offered: answer by ")
    assert built["status-waitlisted"][1].subject.startswith("Seat released, now on the waitlist: number 2")
    assert built["status-withdrawn"][1].subject.startswith("Application withdrawn")
    assert built["status-declined"][1].subject.startswith("Application declined")
    for name in ("confirmation-seat", "offer", "status-held", "status-declined"):
        owed, message = built[name]
        assert owed.application.reference in message.subject, name


def test_a_long_program_name_with_a_line_break_keeps_the_subject_short_and_on_one_line(school):
    program = school.enquiry.program
    program.name = "The Paramedic course of the\nNorthfield EMS Academy, evenings and weekends, 2026 intake"
    program.save()
    message = emails.build(notification(Kind.ENQUIRY_NOTICE, enquiry=school.enquiry))
    assert "\n" not in message.subject and len(message.subject) <= 60


# Typed text


def test_what_people_typed_is_escaped_in_html_and_as_typed_in_text(built):
    for name in ("confirmation-seat", "status-declined", "enquiry-acknowledgement", "enquiry-reply"):
        _, message = built[name]
        html = html_of(message)
        assert "<script>" not in html and "<b>" not in html and "<stethoscope>" not in html, name
        assert "&lt;script&gt;" in html, name
        assert TYPED_NAME in message.body, name
    declined = built["status-declined"][1]
    assert "Your CPR card &lt;b&gt;expired&lt;/b&gt; &amp; cannot" in html_of(declined)
    for line in STAFF_MESSAGE.splitlines():
        assert line in declined.body


# What each e-mail says


def test_the_confirmation_of_a_seat_says_what_to_do_by_when_and_what_it_costs(built):
    body = built["confirmation-seat"][1].body
    for expected in (
        "You have a seat",
        "Total cost: $1,650.50 (tuition and fees)",  # tuition $1,500.50 and $150 of books
        "Deposit: $300, part of the total, paid to confirm a seat",
        "how to pay the $300 deposit that confirms your seat",
        "First day: ",
        "Schedule: Weekday evenings, Tue and Thu, 6 to 10 pm",
        "Place: Main campus",
        "with your photo ID and your Emergency Medical Technician card",
        "What the course requires",
        "- A background check & a drug screen",
        "Please quote your reference",
        "+1 555 010 0199",
    ):
        assert expected in body, expected
    assert "guardian" not in body


def test_money_is_whole_dollars_unless_there_are_cents(school):
    program = school.seat.cohort.program
    program.tuition, program.deposit = Decimal("1500"), Decimal("250.50")
    program.save()
    body = emails.build(notification(Kind.PROMOTION, school.seat)).body
    assert "Total cost: $1,650 (tuition and fees)" in body
    assert "Deposit: $250.50, part of the total" in body


def test_a_course_without_a_deposit_says_so(school):
    program = school.seat.cohort.program
    program.deposit = Decimal("0")
    program.save()
    body = emails.build(notification(Kind.APPLICATION_CONFIRMATION, school.seat)).body
    assert "Deposit: none" in body
    assert "deposit that confirms" not in body


def test_a_person_under_18_on_the_first_day_is_asked_for_a_parents_signature(built, school):
    body = built["confirmation-under-18"][1].body
    assert "- A parent's or guardian's signature" in body
    assert "under 18 on the first day" in body
    assert "parent" not in built["confirmation-seat"][1].body


def test_a_parents_signature_is_asked_only_below_18_and_where_the_course_admits_people_that_young(school):
    minor = school.minor
    program = minor.cohort.program
    start = minor.cohort.start_date
    seventeen = minor.date_of_birth
    turns_18_that_day = date(
        start.year - 18, start.month, 28 if (start.month, start.day) == (2, 29) else start.day
    )

    def signature_asked(date_of_birth, minimum_age):
        program.minimum_age = minimum_age
        minor.date_of_birth = date_of_birth
        return any("guardian" in item for item in emails.requirements(program, minor))

    assert signature_asked(turns_18_that_day + timedelta(days=1), None)  # 17 on the first day
    assert not signature_asked(turns_18_that_day, None)
    assert signature_asked(seventeen, 16)
    assert not signature_asked(seventeen, 18)


def test_the_waitlist_email_says_the_seat_was_lost_and_how_the_waitlist_moves(built):
    body = built["status-waitlisted"][1].body
    assert "You no longer have a seat" in body
    assert "where you are number 2" in body
    assert "When a seat frees up, it goes to the first person on the waitlist" in body
    assert "You no longer have a seat" not in built["confirmation-waitlist"][1].body


def test_withdrawal_says_who_withdrew_and_what_to_do_if_it_was_a_mistake(built):
    by_applicant = built["status-withdrawn"][1].body
    by_admissions = built["status-withdrawn-by-admissions"][1].body
    assert "As you asked, we have withdrawn your application" in by_applicant
    assert "If you did not ask for this, or changed your mind, tell us as soon as possible" in by_applicant
    assert "Our admissions team has withdrawn your application" in by_admissions
    assert "If you still want to take this course" in by_admissions
    for body in (by_applicant, by_admissions):
        assert "in a seat if one is still free, otherwise on the waitlist" in body


def test_a_decline_gives_the_reason_and_other_ways_in(built):
    with_reason, without = built["status-declined"][1].body, built["status-declined-no-reason"][1].body
    assert "A note from our admissions team" in with_reason
    assert "A later start suits you better." in with_reason
    assert "If you would like to know why, ask us" in without
    for body in (with_reason, without):
        assert f"Apply for another start of this course, or for another course: {SITE_URL}/apply/" in body
        assert f"Ask our admissions team: {SITE_URL}/contact/" in body
        assert f"come to one of our info sessions: {SITE_URL}/info-sessions/" in body


def test_the_enquiry_acknowledgement_quotes_the_question_and_gives_a_reference(built):
    owed, message = built["enquiry-acknowledgement"]
    reference = f"Enquiry #{owed.enquiry.pk}"
    assert reference in message.subject
    assert f"Reference: {reference}" in message.body
    assert "Please quote your reference, " + reference in message.body
    for line in QUESTION.splitlines():
        assert f"    {line}" in message.body
    assert "Can I bring my own &lt;stethoscope&gt;?\nAnd is parking free &amp; close?" in html_of(message)


def test_an_answer_from_admissions_keeps_its_lines_and_quotes_the_question(built, settings):
    owed, message = built["enquiry-reply"]
    admissions = settings.SCHOOL["ADMISSIONS_EMAIL"]
    assert message.from_email == f"{settings.SCHOOL['NAME']} Admissions <{admissions}>"
    assert message.to == [owed.enquiry.email] and message.reply_to == [admissions]
    assert message.subject == f"Our answer to your question (Enquiry #{owed.enquiry.pk})"
    body = message.body
    assert f"Hello {TYPED_NAME} Curie," in body  # its placeholder filled in when it was sent
    assert "with a second hand.\nParking is free, behind the school." in body  # the lines as written
    assert "\n- Paramedic (PARA-" in body
    for line in QUESTION.splitlines():
        assert f"    {line}" in body
    html = html_of(message)
    assert '<p class="lines">Yes: bring your own &lt;stethoscope&gt; &amp; a watch' in html
    assert "Can I bring my own &lt;stethoscope&gt;?\nAnd is parking free &amp; close?</blockquote>" in html


def test_an_unknown_kind_or_status_is_refused_with_a_reason(school):
    with pytest.raises(ValueError, match="No e-mail of kind"):
        emails.build(notification("held-seat", school.seat))
    with pytest.raises(ValueError, match="No status e-mail for 'lost'"):
        emails.build(notification(Kind.STATUS_CHANGE, school.seat, status="lost"))
    with pytest.raises(ValueError, match="Withdrawn by 'staff'"):
        emails.build(notification(Kind.STATUS_CHANGE, school.seat, status="withdrawn", withdrawn_by="staff"))


# The preview is what is sent


def sent(django_capture_on_commit_callbacks, change, **kwargs):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(**kwargs)
    return mail.outbox


def assert_same_email(preview, message):
    assert (preview.subject, preview.to, preview.reply_to) == (message.subject, message.to, message.reply_to)
    assert preview.body == message.body
    assert preview.alternatives == message.alternatives


def test_a_preview_built_before_a_decline_is_the_email_the_outbox_sends(
    school, django_capture_on_commit_callbacks
):
    payload = {"status": "declined", "message": STAFF_MESSAGE}
    # One moment for both: the signed link to the applicant's page is stamped with the time.
    with time_machine.travel(timezone.now(), tick=False):
        preview = emails.build(
            EmailNotification(kind=Kind.STATUS_CHANGE, application=school.seat, payload=payload)
        )

        outbox_mail = sent(
            django_capture_on_commit_callbacks,
            services.application_decline,
            application=school.seat,
            message=STAFF_MESSAGE,
        )

    to_the_person = [message for message in outbox_mail if message.to == [school.seat.email]]
    assert len(to_the_person) == 1
    assert_same_email(preview, to_the_person[0])
    assert "The seat you had was released." in preview.body


def test_a_preview_of_the_offer_is_the_email_the_next_person_gets(school, django_capture_on_commit_callbacks):
    # One moment for both: the offer's deadline and the signed link are stamped with the time.
    with time_machine.travel(timezone.now(), tick=False):
        preview = services.preview(lambda: services.application_withdraw(application=school.seat))
        [offer] = [email for email in preview.emails if email.to == [school.waiting.email]]

        outbox_mail = sent(
            django_capture_on_commit_callbacks, services.application_withdraw, application=school.seat
        )

    [sent_offer] = [message for message in outbox_mail if message.to == [school.waiting.email]]
    assert (offer.subject, offer.body) == (sent_offer.subject, sent_offer.body)


def test_a_sent_waitlist_email_knows_the_seat_was_lost_from_the_history(
    school, django_capture_on_commit_callbacks
):
    """Without "previous" in the payload, the e-mail reads the change it follows from the history."""
    with time_machine.travel(timezone.now(), tick=False):  # the signed link is stamped with the time
        outbox_mail = sent(
            django_capture_on_commit_callbacks, services.application_waitlist, application=school.seat
        )

        [to_the_person] = [message for message in outbox_mail if message.to == [school.seat.email]]
        assert "You no longer have a seat" in to_the_person.body
        assert "where you are number 1" in to_the_person.body  # the one waiting got the seat
        owed = EmailNotification.objects.get(application=school.seat, kind=Kind.STATUS_CHANGE)
        assert emails.build(owed).body == to_the_person.body  # sent again: the same words


def test_the_payload_can_say_what_the_change_was_and_gave(school):
    owed = notification(Kind.STATUS_CHANGE, school.waiting, status="waitlisted", previous="held", position=7)
    body = emails.build(owed).body
    assert "You no longer have a seat" in body and "number 7" in body


def test_a_preview_of_a_waitlist_move_shows_no_place_it_cannot_know(school):
    """A preview is built before the change: the place the change will give comes in the payload, never
    from the application's place before it (the bug of issue 17)."""
    owed = notification(Kind.STATUS_CHANGE, school.waiting, status="waitlisted", message="")
    body = emails.build(owed).body
    assert "number 1" not in body
    assert "to the end of its waitlist." in body


def test_an_email_about_another_status_shows_no_waitlist_place(school):
    """A withdrawal sent again after the person was put back on the waitlist is still about the withdrawal."""
    owed = outbox.email_queue(
        Kind.STATUS_CHANGE, application=school.waiting, payload={"status": "withdrawn", "message": ""}
    )
    body = emails.build(owed).body
    assert school.waiting.status == "waitlisted"
    assert "waitlist: number" not in body and "Your place on the waitlist" not in body


def test_the_outbox_sends_both_parts(school):
    mail.outbox.clear()
    owed = outbox.email_queue(Kind.PROMOTION, application=school.waiting)
    assert outbox.email_deliver(owed.pk) == "sent"
    [message] = mail.outbox
    assert message.alternatives and html_of(message).startswith("<!DOCTYPE html>")
    raw = message.message().as_string()
    assert "multipart/alternative" in raw


def test_an_expired_offer_says_by_when_it_had_to_be_accepted_in_the_schools_time(
    school, django_capture_on_commit_callbacks
):
    """The offer runs out for real (the deadline passes, the command expires it): the e-mail names the
    deadline as the offer did, not the history's wording of why the application ended."""
    services.application_withdraw(application=school.seat, notify=False)
    school.waiting.refresh_from_db()
    deadline = timezone.localtime(school.waiting.offer_expires_at)
    as_offered = dateformat.format(deadline, "l, F j, Y, g:i a")

    with time_machine.travel(deadline + timedelta(minutes=1)):
        outbox_mail = sent(django_capture_on_commit_callbacks, services.offers_expire)

    [expired] = [message for message in outbox_mail if message.to == [school.waiting.email]]
    assert f"to accept by {as_offered} (the school's time)." in expired.body
    assert "no answer by" not in expired.body


def test_an_offer_built_again_after_it_ended_still_gives_its_deadline(school):
    """Sent again (or read in the admin) once the offer was answered or ran out, the offer e-mail still says
    by when it was to be answered, never "answer by" and nothing."""
    services.application_withdraw(application=school.seat)
    [owed] = EmailNotification.objects.filter(application=school.waiting, kind=Kind.PROMOTION)
    school.waiting.refresh_from_db()
    deadline = timezone.localtime(school.waiting.offer_expires_at)

    services.offer_accept(application=school.waiting)
    owed.refresh_from_db()
    message = emails.build(owed)

    assert message.subject.startswith(
        f"Seat offered: answer by {dateformat.format(deadline, 'M j, g:i a')} ("
    )
    assert (
        f"Please answer by {dateformat.format(deadline, 'l, F j, Y, g:i a')} (the school's time)."
        in message.body
    )
