"""Synthetic data at the size of a school after ten years, to measure the staff pages (`make bench-scale`,
docs/performance.md): programs, course starts, applications with their history, checklists and e-mails,
enquiries with their answers, info sessions and sign-ups (emsprogram/synthetic.py says how).

It refuses to run unless DEBUG is on or --yes-i-mean-it is given, so that it never lands in production data by
accident; --delete removes what it made and nothing else."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from emsprogram import synthetic


class Command(BaseCommand):
    help = (
        "Make synthetic programs, course starts, applications (with their history), enquiries and info-session "
        "sign-ups at a school's size, or remove them with --delete. Needs DEBUG or --yes-i-mean-it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=100_000)
        parser.add_argument("--enquiries", type=int, default=50_000)
        parser.add_argument("--cohorts", type=int, default=500, help="Course starts, over ten years.")
        parser.add_argument("--seed", type=int, default=15, help="The same seed makes the same data.")
        parser.add_argument(
            "--delete", action="store_true", help="Remove the synthetic data (and nothing else) instead."
        )
        parser.add_argument(
            "--yes-i-mean-it",
            action="store_true",
            help="Run although DEBUG is off: only on a database made for measuring, never on the school's.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["yes_i_mean_it"]:
            raise CommandError(
                "DEBUG is off, so this may be the school's own database: synthetic data is not made there. "
                "On a database made for measuring, run it again with --yes-i-mean-it."
            )
        if options["delete"]:
            removed = synthetic.delete()
            if not removed:
                self.stdout.write("No synthetic data to remove.")
            for label, number in sorted(removed.items()):
                self.stdout.write(f"Removed {number} {label}")
            return
        for name in ("applications", "enquiries"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["cohorts"] < 1:
            raise CommandError("--cohorts must be at least 1.")
        if synthetic.exists():
            raise CommandError("Synthetic data is already there: remove it first with --delete.")
        started = time.monotonic()
        self.stdout.write("Making synthetic data...")
        made = synthetic.generate(
            applications=options["applications"],
            enquiries=options["enquiries"],
            cohorts=options["cohorts"],
            seed=options["seed"],
            stdout=self.stdout,
        )
        for label, number in made.counts.items():
            self.stdout.write(f"{number:>9} {label}")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")
