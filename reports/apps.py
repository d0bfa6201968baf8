from django.apps import AppConfig
from django.db.backends.signals import connection_created


def add_sqlite_functions(sender, connection, **kwargs):
    """SQLite has no percentile: the reports' (reports.figures.Percentile) is registered on each connection."""
    if connection.vendor == "sqlite":
        from reports.figures import SqlitePercentile

        connection.connection.create_aggregate("reports_percentile", 2, SqlitePercentile)


class ReportsConfig(AppConfig):
    """Admissions' reports (/admin/reports/): no models of its own; the permission is enrollment's
    `view_reports`."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        connection_created.connect(add_sqlite_functions, dispatch_uid="reports-sqlite-functions")
