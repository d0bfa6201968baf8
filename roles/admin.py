"""Admin for content editors: levels (with their skills), roles, guides and the FAQ.

Every form runs the models' clean(), so a slug that a level and a role would share is refused here."""

from django.contrib import admin
from django.utils.html import format_html

from roles.models import FAQ, CertificationLevel, FAQTopic, Guide, Role, Skill
from sitetools.modeladmin import SchoolModelAdmin, SchoolStackedInline, SchoolTabularInline


class SkillInline(SchoolTabularInline):
    model = Skill
    fields = ["name", "order"]
    extra = 1


@admin.register(CertificationLevel)
class CertificationLevelAdmin(SchoolModelAdmin):
    # ladder_order is unique, so it is edited on the level's own form rather than in the list:
    # swapping two positions row by row would break the constraint halfway.
    list_display = [
        "name",
        "abbreviation",
        "ladder_order",
        "slug",
        "training_hours",
        "prerequisite",
        "is_published",
    ]
    list_display_links = ["name"]
    list_editable = ["is_published"]
    list_filter = ["is_published", "can_drive_ambulance"]
    list_select_related = ["prerequisite"]
    search_fields = ["name", "abbreviation", "slug", "summary", "description"]
    prepopulated_fields = {"slug": ["abbreviation"]}
    ordering = ["ladder_order"]
    inlines = [SkillInline]
    fieldsets = [
        (None, {"fields": ["name", "abbreviation", "slug", "ladder_order", "is_published"]}),
        ("What they do", {"fields": ["summary", "description", "typical_employers"]}),
        (
            "Training",
            {
                "fields": [
                    ("training_hours_min", "training_hours_max"),
                    "training_length",
                    "training_note",
                    "clinical_experience",
                    "field_experience",
                ]
            },
        ),
        (
            "Entry requirements",
            {"fields": ["prerequisite", "prerequisites_note", "minimum_age", "minimum_age_note"]},
        ),
        ("Exam and recertification", {"fields": ["exam", "recertification"]}),
        (
            "On the job",
            {
                "fields": [
                    "can_drive_ambulance",
                    "ambulance_note",
                    "direct_patient_contact",
                    "patient_contact_note",
                ]
            },
        ),
        ("Our advice to students", {"fields": ["advice"]}),
    ]

    @admin.display(description="Training hours")
    def training_hours(self, level):
        return level.training_hours


@admin.register(Role)
class RoleAdmin(SchoolModelAdmin):
    list_display = ["name", "slug", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "description", "credentials", "order", "is_published"]


@admin.register(Guide)
class GuideAdmin(SchoolModelAdmin):
    list_display = ["title", "slug", "is_published", "published_at", "updated_at", "view_on_site_link"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    fields = ["title", "slug", "summary", "body", "is_published", "published_at"]

    @admin.display(description="On the site")
    def view_on_site_link(self, guide):
        label = "View" if guide.is_published else "Preview"
        return format_html('<a href="{}">{}</a>', guide.get_absolute_url(), label)


class FAQInline(SchoolStackedInline):
    model = FAQ
    fields = ["question", "answer", "order", "is_published"]
    extra = 0


@admin.register(FAQTopic)
class FAQTopicAdmin(SchoolModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FAQInline]


@admin.register(FAQ)
class FAQAdmin(SchoolModelAdmin):
    list_display = ["question", "topic", "order", "is_published"]
    list_editable = ["order", "is_published"]
    list_filter = ["topic", "is_published"]
    list_select_related = ["topic"]
    search_fields = ["question", "answer"]
    ordering = ["topic__order", "topic__name", "order", "id"]
    fields = ["topic", "question", "answer", "order", "is_published"]
