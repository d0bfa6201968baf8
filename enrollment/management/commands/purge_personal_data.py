"""Delete personal data the school no longer needs (DESIGN.md 4.5): enquiries, and closed applications,
older than the retention period, with the files of the applications' documents (deleted from the private
storage once the records are gone), and what the other apps keep (sitetools.personal_data: info-session
sign-ups whose session took place, or that were cancelled, before it). A dry run unless --execute is given;
the output names records by reference or number only, never by a person's name, address or file names."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enrollment.models import Application, Document, Enquiry
from sitetools import personal_data


class Command(BaseCommand):
    help = (
        "Delete enquiries received more than N days ago (with their notes), and closed applications: withdrawn or declined "
        "ones not changed for N days, and every application to a cohort that ended more than N days ago "
        "(with their notes, history and e-mail records), and info-session sign-ups of sessions held (or "
        "cancelled) more than N days ago. Prints what it would delete; deletes only "
        "with --execute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            metavar="N",
            help="The retention period in days (default: settings.DATA_RETENTION_DAYS, from the environment).",
        )
        parser.add_argument(
            "--execute", action="store_true", help="Delete for real (without it, nothing is deleted)."
        )

    def handle(self, *args, older_than_days=None, execute=False, **options):
        days = settings.DATA_RETENTION_DAYS if older_than_days is None else older_than_days
        if days < 1:
            raise CommandError("--older-than-days must be at least 1.")
        cutoff = timezone.now() - timedelta(days=days)

        enquiries = Enquiry.objects.filter(submitted_at__lt=cutoff).order_by("submitted_at")
        applications = Application.objects.filter(
            Q(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED], updated_at__lt=cutoff)
            | Q(cohort__end_date__lt=timezone.localdate(cutoff))
        ).order_by("submitted_at")

        with transaction.atomic():
            enquiry_ids = list(enquiries.values_list("pk", flat=True))
            references = list(applications.values_list("reference", flat=True))
            verb = "Deleting" if execute else "Would delete"
            self.stdout.write(
                f"Retention period: {days} days (before {timezone.localtime(cutoff):%Y-%m-%d %H:%M})."
            )
            self.stdout.write(
                f"{verb} {len(enquiry_ids)} enquiry(ies), with their notes and e-mail records: "
                f"{self._list(f'#{pk}' for pk in enquiry_ids)}"
            )
            self.stdout.write(
                f"{verb} {len(references)} closed application(s), with their notes, history and e-mail "
                f"records: {self._list(references)}"
            )
            files = list(
                Document.objects.filter(item__application__reference__in=references)
                .exclude(file="")
                .values_list("file", flat=True)
            )
            self.stdout.write(f"{verb} {len(files)} document file(s) of those applications.")
            others = [(holder, holder.expired(cutoff)) for holder in personal_data.holders()]
            for holder, found in others:
                self.stdout.write(f"{verb} {len(found)} {holder.label}: {self._list(found)}")
            if not execute:
                self.stdout.write("Dry run: nothing was deleted. Run again with --execute to delete them.")
                return
            Enquiry.objects.filter(pk__in=enquiry_ids).delete()
            Application.objects.filter(reference__in=references).delete()
            for holder, found in others:
                holder.delete(found)
        # The files go once the records are gone for good: a rollback above leaves both as they were.
        not_deleted = self._delete_files(files)
        deleted_elsewhere = "".join(f", {len(found)} {holder.label}" for holder, found in others)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {len(enquiry_ids)} enquiry(ies), {len(references)} application(s){deleted_elsewhere}, "
                f"{len(files) - not_deleted} document file(s)."
            )
        )
        if not_deleted:
            self.stderr.write(
                f"{not_deleted} document file(s) could not be deleted from the storage: their records are gone, "
                "so remove them from the storage by hand (the log of the storage names them)."
            )

    @staticmethod
    def _delete_files(names) -> int:
        storage = Document._meta.get_field("file").storage
        failed = 0
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # a storage outage must not hide that the records are gone; counted instead
                failed += 1
        return failed

    @staticmethod
    def _list(items) -> str:
        items = list(items)
        return ", ".join(items) if items else "none"
