"""The sign-up form of an info session: who is coming and how to reach them. It checks shape, with the
public forms' fields and messages (enrollment/forms.py); seats are decided by infosessions.services."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit

from enrollment.forms import (
    ApplicationForm,
    BotTrap,
    _honeypot,
    _honeypot_layout,
    _in_page_order,
    _phone,
    _text,
)
from sitetools.source_capture import SourceForm, source_layout


class SignupForm(BotTrap, SourceForm):
    name = _text("Your name", max_length=150, autocomplete="name", required_message="Enter your name.")
    # As the application form asks for it: the confirmation and the reference go there.
    email = copy.deepcopy(ApplicationForm.base_fields["email"])
    phone = _phone(
        "Phone number (optional)",
        required=False,
        help_text="Only to reach you if the session has to move.",
    )
    website = _honeypot()

    def __init__(self, *args, submit_label: str = "Sign me up", **kwargs):
        super().__init__(*args, **kwargs)
        helper = FormHelper(self)
        # The template writes the <form> tag and its CSRF token, outside the cached rendering of the fields.
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            "name",
            "email",
            "phone",
            *source_layout(),
            _honeypot_layout(),
            HTML(
                '<p class="small">We use your details only for this session. Fields without "(optional)" are required.</p>'
            ),
            Submit("submit", submit_label, css_class="btn-lg"),
        )
        self.helper = helper
        _in_page_order(self)

    def signup_details(self) -> dict:
        """The keyword arguments of services.signup_create, from the cleaned data."""
        return {
            **{name: self.cleaned_data[name] for name in ("name", "email", "phone")},
            "source": self.source(),
        }
