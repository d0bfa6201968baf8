"""The staff side of enrollment in the Django admin: programs and cohorts (content editors), the admissions
workflow on applications and enquiries, rosters and personal-data exports, and the front page's panel of
what needs attention (templates/admin/index.html, enrollment/templatetags/enrollment_admin.py).

Every change of status or seat goes through enrollment.services; so do notes, assignment and edits,
which the services record in the application's history."""

from enrollment.admin import applications, emails, enquiries, programs  # noqa: F401 (registers the admins)
