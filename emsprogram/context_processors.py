from django.conf import settings


def school(request):
    """The school's name and contact details, for the header, footer and structured data."""
    return {"school": settings.SCHOOL, "site_url": settings.SITE_URL}
