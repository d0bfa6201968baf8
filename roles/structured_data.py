"""Schema.org descriptions of guides and the FAQ, embedded as JSON-LD by their pages."""

from django.conf import settings
from django.utils.html import strip_tags

from sitetools.structured_data import organization, with_context


def article(guide):
    data = {
        "@type": "Article",
        "headline": guide.title,
        "description": guide.summary,
        "url": f"{settings.SITE_URL}{guide.get_absolute_url()}",
        "dateModified": guide.updated_at.date().isoformat(),
        "publisher": organization(),
    }
    if guide.published_at:
        data["datePublished"] = guide.published_at.isoformat()
    return with_context(data)


def faq_page(entries):
    return with_context(
        {
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": entry.question,
                    "acceptedAnswer": {"@type": "Answer", "text": strip_tags(entry.answer_html).strip()},
                }
                for entry in entries
            ],
        }
    )
