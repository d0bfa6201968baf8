"""The reports' tests use the staff tests' signed-in clients and the enrollment tests' programs."""

from tests.enrollment import conftest as enrollment
from tests.staff import conftest as staff

levels = enrollment.levels
emt_program = enrollment.emt_program
officer = staff.officer
editor = staff.editor
admissions_client = staff.admissions_client
editor_client = staff.editor_client
