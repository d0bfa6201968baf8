"""The site's own pages about the school rather than its courses: accreditation and approval, ways to pay,
the refund policy, terms, privacy and accessibility (from settings.SCHOOL_STATEMENTS and the retention
setting), and the share images that links to the site show on social networks."""
