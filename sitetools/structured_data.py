"""Schema.org descriptions of the school, shared by the pages that embed JSON-LD."""

from django.conf import settings


def organization():
    school = settings.SCHOOL
    return {
        "@type": "EducationalOrganization",
        "@id": f"{settings.SITE_URL}/#organization",
        "name": school["NAME"],
        "url": f"{settings.SITE_URL}/",
        "email": school["EMAIL"],
        "telephone": school["PHONE"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": school["STREET"],
            "addressLocality": school["CITY"],
            "addressRegion": school["REGION"],
            "postalCode": school["POSTAL_CODE"],
            "addressCountry": school["COUNTRY"],
        },
    }


def with_context(data):
    return {"@context": "https://schema.org", **data}
