"""Public pages of the roles app: EMS as a system and its roles, a level or role, the comparison,
guides and the FAQ. Each page runs a fixed number of queries, whatever the amount of content."""

from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView, ListView, TemplateView

from emsprogram import pagecache
from enrollment.models import Program
from roles import structured_data
from roles.comparison import MAX_LEVELS, comparison_build, parse_level_slugs
from roles.facts import level_facts
from roles.models import CertificationLevel, FAQTopic, Guide, Role


class StaffPreviewMixin:
    """Staff who may edit a kind of content also see its unpublished records, marked as a preview.
    They always have a session, so the public page cache never stores what they see."""

    def can_preview(self, model):
        user = self.request.user
        return user.is_authenticated and user.has_perm(
            f"{model._meta.app_label}.change_{model._meta.model_name}"
        )

    def visible(self, model, queryset):
        return queryset if self.can_preview(model) else queryset.filter(is_published=True)


class RolesIndexView(TemplateView):
    template_name = "roles/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["levels"] = CertificationLevel.objects.ladder_outline()
        context["roles"] = Role.objects.published()
        context["guides"] = Guide.objects.published().order_by("title")
        return context


class RoleOrLevelDetailView(StaffPreviewMixin, DetailView):
    """/roles/<slug>/ names a certification level or another role in the system (one slug space:
    see validate_shared_slug). The template follows the record: certificationlevel_detail or role_detail."""

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        programs = Prefetch(
            "programs",
            queryset=Program.objects.published().for_cards().prefetch_related("fees"),  # with their prices
            to_attr="published_programs",
        )
        levels = self.visible(
            CertificationLevel, CertificationLevel.objects.with_facts().prefetch_related(programs)
        )
        level = levels.filter(slug=slug).first()
        if level is not None:
            return level
        role = self.visible(Role, Role.objects.all()).filter(slug=slug).first()
        if role is not None:
            return role
        raise Http404("No level or role has this address.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if isinstance(self.object, CertificationLevel):
            context.update(self.level_context(self.object))
        else:
            context["other_roles"] = Role.objects.published().exclude(pk=self.object.pk)
        return context

    def level_context(self, level):
        ladder = list(CertificationLevel.objects.ladder_outline())
        next_levels = [rung for rung in ladder if rung.prerequisite_id == level.pk]
        if not next_levels:
            # Nothing names this level as its prerequisite (EMR): the next rung up is where it leads.
            next_levels = [rung for rung in ladder if rung.ladder_order > level.ladder_order][:1]
        return {
            "level": level,
            "facts": level_facts(level),
            "ladder": ladder,
            "next_levels": next_levels,
            "compare_with": next_levels[0] if next_levels else level.prerequisite,
        }


class CompareView(TemplateView):
    template_name = "roles/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ladder = list(CertificationLevel.objects.ladder())
        requested = self.request.GET.getlist("levels")
        comparison = comparison_build(requested=requested, ladder=ladder)
        if comparison.messages or ",".join(requested) != ",".join(parse_level_slugs(requested)):
            # Unknown, repeated or too many levels (the page says so), or an odd spelling (capitals, spaces,
            # empty parts): not kept for others, so that the cache holds the site's own spellings only.
            pagecache.do_not_cache(self.request)
        context.update(
            {
                "comparison": comparison,
                "ladder": ladder,
                "selected_slugs": set(comparison.slugs),
                "max_levels": MAX_LEVELS,
            }
        )
        return context


class GuideDetailView(StaffPreviewMixin, DetailView):
    context_object_name = "guide"

    def get_queryset(self):
        return self.visible(Guide, Guide.objects.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["structured_data"] = structured_data.article(self.object)
        return context


class FAQView(ListView):
    template_name = "roles/faq.html"
    context_object_name = "topics"

    def get_queryset(self):
        return FAQTopic.objects.with_published_entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topics = [topic for topic in context["topics"] if topic.published_entries]
        context["topics"] = topics
        entries = [entry for topic in topics for entry in topic.published_entries]
        context["structured_data"] = structured_data.faq_page(entries)
        return context
