"""Project package: settings, root URLs, WSGI/ASGI and site-wide pieces (home page, health check, sitemaps)."""
