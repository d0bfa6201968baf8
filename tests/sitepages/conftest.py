from tests.enrollment.conftest import levels  # noqa: F401 (the fixture, for programs to price)
