"""Models for what the site explains: the certification ladder, the other roles in EMS, guides and the FAQ."""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse

from roles.markdown import render_markdown
from sitetools.pagecache import ShownOnPublicPages

# /roles/compare/ is matched before /roles/<slug>/, so no level or role can use this slug.
RESERVED_SLUGS = frozenset({"compare"})


def validate_shared_slug(instance, other_model):
    """Levels and roles share the /roles/<slug>/ address space: a slug may name only one of them."""
    if not instance.slug:
        return
    if instance.slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": f"“{instance.slug}” is reserved for a page of the site; choose another."}
        )
    clash = other_model.objects.filter(slug=instance.slug).first()
    if clash is not None:
        raise ValidationError(
            {
                "slug": f"“{instance.slug}” is already the address of the {other_model._meta.verbose_name} "
                f"“{clash}”; levels and roles share /roles/<slug>/, so choose another."
            }
        )


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CertificationLevelQuerySet(PublishedQuerySet):
    def with_facts(self):
        """Levels with everything their fact list reads (roles.facts), in two queries however many."""
        return self.select_related("prerequisite").prefetch_related("skills")

    def ladder(self):
        """Published levels in ladder order, with what their pages and the comparison show."""
        return self.published().with_facts().order_by("ladder_order")

    def ladder_outline(self):
        """Published levels in ladder order without their skills: for the home page, lists and pickers."""
        return self.published().order_by("ladder_order")


class CertificationLevel(ShownOnPublicPages):
    """A rung of the certification ladder (EMR, EMT, AEMT, Paramedic, ...)."""

    slug = models.SlugField(unique=True, help_text="Used in the address, e.g. emt for /roles/emt/.")
    name = models.CharField(max_length=100, unique=True)
    abbreviation = models.CharField(max_length=20)
    ladder_order = models.PositiveSmallIntegerField(
        unique=True, help_text="Position on the ladder: 1 is the first level a person can reach."
    )
    summary = models.CharField(max_length=200, help_text="One line, shown on the ladder and in lists.")
    description = models.TextField(help_text="What people at this level do, in a few paragraphs.")
    training_hours_min = models.PositiveIntegerField(
        null=True, blank=True, help_text="Typical training hours, low end. Empty when no figure is known."
    )
    training_hours_max = models.PositiveIntegerField(
        null=True, blank=True, help_text="Typical training hours, high end. Empty when no figure is known."
    )
    training_length = models.CharField(
        max_length=100, blank=True, help_text="Calendar length in words, e.g. 'about 2 to 6 months'."
    )
    training_note = models.CharField(
        max_length=255, blank=True, help_text="Caveat on the hours, e.g. 'varies by state and program'."
    )
    clinical_experience = models.TextField(
        blank=True, help_text="Face-to-face clinical experience (hospital, clinic) the training includes."
    )
    field_experience = models.TextField(
        blank=True, help_text="Field experience on an ambulance the training includes."
    )
    prerequisite = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_levels",
        help_text="Certification a person must already hold to train for this level.",
    )
    prerequisites_note = models.TextField(
        blank=True, help_text="Other entry requirements: diploma, CPR card, accredited program..."
    )
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Typical minimum age; leave empty where there is no common rule."
    )
    minimum_age_note = models.CharField(max_length=255, blank=True)
    exam = models.TextField(help_text="The certification exam(s).")
    recertification = models.TextField(help_text="How often and how the certification is renewed.")
    can_drive_ambulance = models.BooleanField(default=False)
    ambulance_note = models.CharField(
        max_length=255, blank=True, help_text="Caveat on ambulance driving, e.g. 'employer rules apply'."
    )
    direct_patient_contact = models.BooleanField(
        default=True, help_text="Whether people at this level usually have direct patient contact."
    )
    patient_contact_note = models.CharField(max_length=255, blank=True)
    typical_employers = models.TextField(blank=True)
    advice = models.TextField(
        blank=True, help_text="The school's advice to students about this level, shown prominently."
    )
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificationLevelQuerySet.as_manager()

    class Meta:
        ordering = ["ladder_order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(training_hours_min__lte=F("training_hours_max")),
                name="level_training_hours_range_ordered",
            ),
            models.CheckConstraint(condition=Q(ladder_order__gte=1), name="level_ladder_order_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:detail", kwargs={"slug": self.slug})

    def clean(self):
        validate_shared_slug(self, Role)
        errors = {}
        if (
            self.training_hours_min is not None
            and self.training_hours_max is not None
            and self.training_hours_min > self.training_hours_max
        ):
            errors["training_hours_max"] = "The high end of the training hours must not be below the low end."
        before = CertificationLevel.objects.filter(pk=self.pk).first() if self.pk is not None else None
        # The ladder is checked when it changes here, so that a save of something else is never blocked by
        # an order stored before a rule existed.
        ladder_moved = before is None or (before.ladder_order, before.prerequisite_id) != (
            self.ladder_order,
            self.prerequisite_id,
        )
        if self.prerequisite_id is not None:
            if self.pk is not None and self.prerequisite_id == self.pk:
                errors["prerequisite"] = "A level cannot be its own prerequisite."
            elif (
                ladder_moved
                and self.ladder_order is not None
                and self.prerequisite.ladder_order >= self.ladder_order
            ):
                errors["prerequisite"] = "The prerequisite must sit lower on the ladder than this level."
            elif self.is_published and not self.prerequisite.is_published:
                errors["prerequisite"] = (
                    f"{self.prerequisite.name} is not published yet: publish it first, or keep this level a draft."
                )
        if before is not None:
            errors.update(self._dependents_errors(before))
        if errors:
            raise ValidationError(errors)

    def _dependents_errors(self, before):
        """What the levels and programs that rely on this one need of it: to sit below the levels that
        require it, and to stay published while published levels or programs point to it."""
        errors = {}
        dependents = CertificationLevel.objects.filter(prerequisite_id=self.pk)
        if self.ladder_order is not None and self.ladder_order != before.ladder_order:
            above = [level.name for level in dependents.filter(ladder_order__lte=self.ladder_order)]
            if above:
                errors["ladder_order"] = (
                    f"{', '.join(above)} require{'s' if len(above) == 1 else ''} this level, so it must sit lower "
                    "on the ladder than them."
                )
        if before.is_published and not self.is_published:
            relying = [level.name for level in dependents.filter(is_published=True)]
            # The programs that prepare for this level (enrollment's, through the reverse relation: roles
            # never imports enrollment).
            relying += [program.name for program in self.programs.filter(is_published=True)]
            if relying:
                errors["is_published"] = (
                    f"Published pages rely on this level ({', '.join(relying)}): unpublish them first, or keep "
                    "this level published."
                )
        return errors

    @property
    def training_hours(self):
        low, high = self.training_hours_min, self.training_hours_max
        if low is None and high is None:
            return "varies by program"
        if low is None or high is None:
            return f"about {low or high:,} hours"
        if low == high:
            return f"about {low:,} hours"
        return f"{low:,}–{high:,} hours"


class Skill(ShownOnPublicPages):
    """One item of a level's scope of practice."""

    level = models.ForeignKey(CertificationLevel, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["level", "name"], name="skill_unique_per_level"),
        ]

    def __str__(self):
        return self.name


class Role(ShownOnPublicPages):
    """A role in the EMS system that is not a rung of the ladder: dispatcher, responders, medical director."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    summary = models.CharField(max_length=200)
    description = models.TextField(help_text="What they do in the system.")
    credentials = models.TextField(blank=True, help_text="How people in this role are trained or certified.")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("roles:detail", kwargs={"slug": self.slug})

    def clean(self):
        validate_shared_slug(self, CertificationLevel)


class Guide(ShownOnPublicPages):
    """An explainer article. The body is Markdown, rendered to sanitised HTML."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences, shown in lists and to search engines."
    )
    body = models.TextField(help_text="Markdown. Headings start at ##; scripts and raw HTML are removed.")
    is_published = models.BooleanField(default=False)
    published_at = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:guide", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_markdown(self.body)


class FAQTopicQuerySet(models.QuerySet):
    def with_published_entries(self):
        """Topics in order, each with its published entries in `published_entries` (two queries in all)."""
        entries = FAQ.objects.published().order_by("order", "id")
        return self.order_by("order", "name").prefetch_related(
            Prefetch("entries", queryset=entries, to_attr="published_entries")
        )


class FAQTopic(ShownOnPublicPages):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = FAQTopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "FAQ topic"

    def __str__(self):
        return self.name


class FAQ(ShownOnPublicPages):
    topic = models.ForeignKey(FAQTopic, on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(max_length=255, unique=True)
    answer = models.TextField(help_text="Markdown, rendered and sanitised like a guide's body.")
    order = models.PositiveSmallIntegerField(default=0)
    is_published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["topic__order", "order", "id"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question

    @cached_property
    def answer_html(self):
        return render_markdown(self.answer, headings=False)
