from django.conf import settings


def school(request):
    """The school's name, contact details and statements (its approval, accreditation and policies), for the
    header, footer, the pages about them and structured data."""
    return {
        "school": settings.SCHOOL,
        "statements": settings.SCHOOL_STATEMENTS,
        "site_url": settings.SITE_URL,
    }
