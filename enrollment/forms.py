"""The public forms: an application to a cohort, and a question. They validate shape and say how to fix
what is wrong; eligibility and seats are decided by enrollment.services."""

import copy
import re
import unicodedata
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from enrollment.eligibility import MESSAGES, ApplicantDetails, message
from enrollment.models import Application, Cohort, Enquiry, Program
from roles.models import CertificationLevel
from sitetools.formats import day
from sitetools.source_capture import SourceForm, source_layout
from sitetools.validators import (
    VisibleText,
    normalise_line_breaks,
    validate_multi_line,
    validate_single_line,
    validate_visible,
)

HONEYPOT_FIELD = "website"
_ID = re.compile(r"[0-9]{1,18}")

PHONE_FORMAT = (
    "Enter a phone number with its area code, for example 555 010 0123 (from abroad, start with + and the "
    "country code)."
)
PHONE_MAX_LENGTH = 30  # the model's column
_PHONE_CHARACTERS = re.compile(r"\+?[0-9 ()./-]+")


def phone_validator(value: str) -> None:
    """A US number of 10 digits (an 11th, leading 1 is the country code), or an international one written
    with + and 8 to 15 digits (E.164's limit): a date or a 26-digit string is not a phone number."""
    digits = re.sub(r"[^0-9]", "", value)
    if value.startswith("+"):
        plausible = 8 <= len(digits) <= 15
    else:
        plausible = len(digits) == 10 or (len(digits) == 11 and digits.startswith("1"))
    if len(value) > PHONE_MAX_LENGTH or not (_PHONE_CHARACTERS.fullmatch(value) and plausible):
        raise forms.ValidationError(PHONE_FORMAT, code="invalid_phone")


ZIP_CODE_FORMAT = "Enter a 5-digit ZIP code, for example 01360 (ZIP+4, such as 01360-1234, works too)."
postal_code_validator = RegexValidator(r"^[0-9]{5}(-[0-9]{4})?$", ZIP_CODE_FORMAT)


class StrictCheckboxInput(forms.CheckboxInput):
    """A tick box whose only yes is a yes: what browsers send for a ticked box ("on"), or "true", "1",
    "yes". Django's own widget reads any other value but "false", such as "0" or "off", as ticked: wrong
    for a consent, or for "e-mail the applicants"."""

    TICKED = {"on", "true", "1", "yes"}

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        if isinstance(value, bool):
            return value
        return isinstance(value, str) and value.strip().lower() in self.TICKED


class WidthNormalising:
    """For a form field: width variants mean the same (NFKC), so that full-width digits typed with an East
    Asian keyboard (０１３６０, １９９０-０５-０１) are read as the digits they are, before validation."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
        return super().to_python(value)


class NormalisedCharField(WidthNormalising, forms.CharField):
    pass


class NormalisedDateField(WidthNormalising, forms.DateField):
    pass


class NormalisedEmailField(WidthNormalising, forms.EmailField):
    """An address typed in full-width characters (ｊｏｒｄａｎ＠example.org) is the address it reads as."""

    default_validators = [*forms.EmailField.default_validators, validate_single_line]


class MultilineCharField(forms.CharField):
    """A textarea's text with line breaks as "\n". Browsers count a line break as one character for
    maxlength but send it as "\r\n": without this, a text the browser let through would be too long here.
    Other invisible control characters are refused."""

    default_validators = [validate_multi_line]

    def to_python(self, value):
        return normalise_line_breaks(super().to_python(value))


def check_date_of_birth(value: date) -> date:
    """A birth date in the past, of someone under 100: the public form and the staff's edits agree."""
    today = timezone.localdate()
    if value >= today:
        raise forms.ValidationError("The date of birth must be in the past.")
    if value < date(today.year - 100, 1, 1):
        raise forms.ValidationError("Check the year of the date of birth.")
    return value


def check_expiry_year(value: date | None) -> date | None:
    """A certification's expiry within a plausible span: certifications run for a few years at most."""
    today = timezone.localdate()
    if value is not None and not 1970 <= value.year <= today.year + 10:
        raise forms.ValidationError("Check the year of the expiry date.")
    return value


def parse_cohort_id(value) -> int | None:
    """A cohort id from a query string or form: plain ASCII digits of sane length, else None."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


def _date_widget(autocomplete: str = "off") -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "autocomplete": autocomplete}, format="%Y-%m-%d")


def _text(
    label,
    *,
    max_length,
    autocomplete,
    required=True,
    help_text="",
    required_message=None,
    visible_message=None,
    **attrs,
):
    """A single line a person types: one line of visible text (sitetools/validators.py)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        validators=[
            validate_single_line,
            VisibleText(visible_message) if visible_message else validate_visible,
        ],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **attrs}),
        error_messages={
            "required": required_message or f"Enter your {label.lower()}.",
            "max_length": f"{label} must be {max_length} characters or fewer.",
        },
    )


def _phone(label, *, required=True, help_text=""):
    # No max_length validator of the field's own: the phone validator refuses an over-long number with
    # its one message (two validators would say the same thing twice). The browser still stops at 30.
    return NormalisedCharField(
        label=label,
        required=required,
        help_text=help_text,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "maxlength": PHONE_MAX_LENGTH}),
        error_messages={"required": "Enter your phone number."},
    )


def _honeypot() -> forms.CharField:
    return forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


def _in_page_order(form) -> None:
    """Order the form's fields as its layout shows them: the error summary lists the errors in the
    order of the fields on the page (fields added in __init__, such as the certification, included)."""
    form.order_fields([pointer.name for pointer in form.helper.layout.get_field_names()])


def _radio_group(name: str) -> Field:
    # Legend, then the error and the hint, then the options (includes/radio_group.html).
    return Field(name, template="includes/radio_group.html")


def _honeypot_layout():
    # Hidden from people (off-screen, out of the tab order, hidden from assistive technology); bots fill it.
    return Div(HONEYPOT_FIELD, css_class="hp-field", aria_hidden="true")


class BotTrap:
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class CohortChoiceField(forms.ModelChoiceField):
    """A cohort of this program that takes applications; anything else gets a message, never an error page."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_cohort_id(str(value)) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, cohort):
        if cohort.seats_left:
            seats = f"{cohort.seats_left} seat{'s' if cohort.seats_left != 1 else ''} left"
        else:
            seats = "full: you would join the waitlist"
        return (
            f"{day(cohort.start_date)} to {day(cohort.end_date)}: "
            f"{cohort.get_meeting_pattern_display()}, {cohort.schedule}, {cohort.location} ({seats})"
        )


class ApplicationForm(BotTrap, SourceForm):
    cohort = CohortChoiceField(
        label="Choose your course start",
        queryset=Cohort.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Only start dates still taking applications are listed.",
        error_messages={
            "required": "Choose the course start you want to apply for.",
            "invalid_choice": "That course start is not open for applications. Choose one of the start dates listed.",
        },
    )
    first_name = _text("First name", max_length=100, autocomplete="given-name")
    last_name = _text("Last name", max_length=100, autocomplete="family-name")
    email = NormalisedEmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send your confirmation and reference here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address in the form name@example.com.",
            "max_length": "The e-mail address must be 254 characters or fewer.",
        },
    )
    phone = _phone("Phone number")
    date_of_birth = NormalisedDateField(
        label="Date of birth",
        help_text="Used to check the course's minimum age on its first day.",
        widget=_date_widget("bday"),
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as a real date, for example 2001-03-27.",
        },
    )
    address_line1 = _text(
        "Address line 1",
        max_length=150,
        autocomplete="address-line1",
        required_message="Enter your street address.",
    )
    address_line2 = _text(
        "Address line 2 (optional)",
        max_length=150,
        autocomplete="address-line2",
        required=False,
        help_text="Apartment, suite or unit, if any.",
    )
    city = _text("Town or city", max_length=100, autocomplete="address-level2")
    state = _text("State", max_length=50, autocomplete="address-level1", required_message="Enter your state.")
    postal_code = NormalisedCharField(
        label="ZIP code",
        max_length=10,
        validators=[postal_code_validator],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter your ZIP code.",
            "max_length": ZIP_CODE_FORMAT,
        },
    )
    consent_data_processing = forms.BooleanField(
        label="I agree that the school stores and uses these details to process my application.",
        widget=StrictCheckboxInput,
        error_messages={"required": MESSAGES["consent"]},
    )
    consent_sms = forms.BooleanField(
        label="You may send me text messages about my application (optional).",
        widget=StrictCheckboxInput,
        required=False,
    )
    website = _honeypot()

    certification_fields = Application.CERTIFICATION_FIELDS

    def __init__(self, *args, program: Program, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["cohort"].queryset = cohorts
        required = program.level.prerequisite
        if required is not None:
            self._add_certification_fields(required)
        self.helper = self._helper(required)
        _in_page_order(self)

    def _add_certification_fields(self, required: CertificationLevel):
        self.fields["certification_level"] = forms.ModelChoiceField(
            label="Certification you hold",
            queryset=CertificationLevel.objects.published().filter(ladder_order__gte=required.ladder_order),
            empty_label="Choose your certification",
            help_text=f"This course requires current {required.name} certification or higher.",
            error_messages={
                "required": message(
                    "certification_missing", program=self.program.name, required=required.name
                ),
                "invalid_choice": "Choose one of the certifications listed.",
            },
        )
        self.fields["certification_number"] = _text(
            "Certification or license number",
            max_length=50,
            autocomplete="off",
            required_message=MESSAGES["certification_number_missing"],
            visible_message="Enter the number as it is written on your card or license.",
        )
        self.fields["certification_state"] = _text(
            "Issuing state",
            max_length=50,
            autocomplete="off",
            help_text="The state, or NREMT for national registry certification.",
            required_message=MESSAGES["certification_state_missing"],
        )
        self.fields["certification_expiry"] = NormalisedDateField(
            label="Expiry date",
            help_text="It must still be valid after the first day of the course.",
            widget=_date_widget(),
            error_messages={
                "required": MESSAGES["certification_expiry_missing"],
                "invalid": "Enter the expiry date as a real date, for example 2027-06-30.",
            },
        )

    def _helper(self, required):
        helper = FormHelper(self)
        # The template writes the <form> tag and its CSRF token, outside the cached rendering of the fields.
        helper.form_tag = False
        helper.disable_csrf = True
        sections = [
            _radio_group("cohort"),
            Fieldset("About you", "first_name", "last_name", "email", "phone", "date_of_birth"),
            Fieldset("Your address", "address_line1", "address_line2", "city", "state", "postal_code"),
        ]
        if required is not None:
            sections.append(
                Fieldset(f"Your current {required.name} certification", *self.certification_fields)
            )
        sections += [
            *source_layout(),
            Fieldset("Consent", "consent_data_processing", "consent_sms"),
            _honeypot_layout(),
            # The note on required fields is in the template, before the first field; Apply looks the same everywhere.
            Submit("submit", "Send my application", css_class="btn-lg btn-apply"),
        ]
        helper.layout = Layout(*sections)
        return helper

    def clean_date_of_birth(self):
        return check_date_of_birth(self.cleaned_data["date_of_birth"])

    def clean_certification_expiry(self):
        value = check_expiry_year(self.cleaned_data["certification_expiry"])
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError("This date has passed: your certification must still be valid.")
        return value

    def applicant_details(self) -> ApplicantDetails:
        """What services.application_submit stores, from the cleaned data."""
        return ApplicantDetails.from_data(self.cleaned_data)


class PhoneApplicationForm(ApplicationForm):
    """The application form as Admissions fill it in for a person on the phone (the admin): the same fields
    and checks, without the bot trap; the consent is the person's, given on the call."""

    website = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].label = "Course start"
        self.fields["cohort"].help_text = "The starts of this program still taking applications."
        self.fields["consent_data_processing"].label = (
            "The applicant agreed, on the call, that the school stores and uses these details to process the "
            "application."
        )
        self.fields["consent_data_processing"].error_messages["required"] = (
            "Ask the applicant for their agreement: without it the application cannot be stored."
        )
        self.fields["consent_sms"].label = "The applicant agrees to text messages about the application."


class EnquiryForm(BotTrap, SourceForm):
    name = _text("Your name", max_length=150, autocomplete="name", required_message="Enter your name.")
    email = NormalisedEmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address, so that we can answer.",
            "invalid": "Enter an e-mail address in the form name@example.com.",
            "max_length": "The e-mail address must be 254 characters or fewer.",
        },
    )
    phone = _phone(
        "Phone number (optional)",
        required=False,
        help_text="Needed only if you would like a call or a text message.",
    )
    program = forms.ModelChoiceField(
        label="Course you are interested in (optional)",
        queryset=Program.objects.none(),
        required=False,
        empty_label="Not sure yet",
        error_messages={"invalid_choice": "Choose one of the courses listed, or “Not sure yet”."},
    )
    preferred_contact = forms.ChoiceField(
        label="How should we answer?",
        choices=Enquiry.ContactMethod.choices,
        initial=Enquiry.ContactMethod.EMAIL,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how we should answer.",
            "invalid_choice": "Choose e-mail, a phone call or a text message.",
        },
    )
    message = MultilineCharField(
        label="Your question",
        max_length=3000,
        help_text="Up to 3,000 characters. Please do not include medical or payment details.",
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        error_messages={
            "required": "Write your question.",
            "max_length": "Your question must be 3,000 characters or fewer; shorten it a little.",
        },
    )
    website = _honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.published().order_by("order", "name")
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            "name",
            "email",
            "phone",
            "program",
            _radio_group("preferred_contact"),
            "message",
            *source_layout(),
            _honeypot_layout(),
            Submit("submit", "Send my question", css_class="btn-lg"),
        )
        self.helper = helper
        _in_page_order(self)

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Write your question.")
        return message

    def clean(self):
        data = super().clean()
        # Only when no number was given: a number that is wrong already has its message, and "Enter your
        # phone number" next to what the person typed would contradict it.
        if (
            data.get("preferred_contact") in (Enquiry.ContactMethod.PHONE, Enquiry.ContactMethod.SMS)
            and not data.get("phone")
            and not self.has_error("phone")
        ):
            self.add_error(
                "phone", "Enter your phone number, so that we can call you or send a text message."
            )
        return data

    def enquiry_details(self) -> dict:
        """The keyword arguments of services.enquiry_submit, from the cleaned data."""
        return {
            **{
                name: self.cleaned_data[name]
                for name in ("name", "email", "phone", "program", "preferred_contact", "message")
            },
            "source": self.source(),
        }


# The applicant's own page (enrollment/applicant_pages.py)


def _plain_helper(form, *fields, submit: str) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class LinkRequestForm(BotTrap, forms.Form):
    """ "Send me my link": the e-mail address the applications were sent with."""

    email = NormalisedEmailField(
        label="The e-mail address you applied with",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter the e-mail address you applied with.",
            "invalid": "Enter an e-mail address in the form name@example.com.",
        },
    )
    website = _honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper(self, "email", _honeypot_layout(), submit="Send me my link")


class PageBoundField(forms.BoundField):
    """A field written out by a template of its own (templates/enrollment/_document_fields.html) rather than
    crispy-forms, whose rendering is most of the applicant page's time when it has a form per checklist item:
    the control gets what crispy's Bootstrap templates give it, its classes and its hint and error named in
    aria-describedby (the error summary and site.js rely on "<id>_error")."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        classes = ["form-control", *(["is-invalid"] if self.errors else [])]
        attrs["class"] = " ".join(classes)
        described = [f"{self.auto_id}_helptext"] if self.help_text else []
        if self.errors:
            described.append(f"{self.auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class DocumentForm(forms.Form):
    """A document for one checklist item, and its expiry date when the requirement has one."""

    bound_field_class = PageBoundField

    file = forms.FileField(
        label="Your file",
        help_text="A PDF, or a photo or scan (JPEG, PNG or HEIC), up to 10 MB.",
        error_messages={
            "required": "Choose the file to send.",
            "empty": "The file is empty: choose it again.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.heic,.heif"}),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        self.item = item
        if item.requirement.expiry:
            self.fields["expiry_date"] = NormalisedDateField(
                label="Expiry date shown on it",
                help_text=item.requirement.get_expiry_display() + ".",
                widget=_date_widget(),
                error_messages={
                    "required": "Enter the expiry date shown on it.",
                    "invalid": "Enter the expiry date as a real date, for example 2027-06-30.",
                },
            )

    def clean_expiry_date(self):
        return check_expiry_year(self.cleaned_data["expiry_date"])


class ContactDetailsForm(forms.Form):
    """The applicant corrects their phone number or address: checked as the application form checks them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "address_line1", "address_line2", "city", "state", "postal_code"):
            self.fields[name] = copy.deepcopy(ApplicationForm.base_fields[name])
        self.helper = _plain_helper(
            self,
            "phone",
            Fieldset("Your address", "address_line1", "address_line2", "city", "state", "postal_code"),
            submit="Save my details",
        )
