"""Markdown written by staff (guides, FAQ answers) rendered to HTML that is safe to show to the public.

Markdown lets raw HTML through, so the output is always cleaned by nh3 with an explicit allow-list:
no scripts, styles, frames, images or event-handler attributes, and links only to http(s), mailto,
tel or this site. The page's <h1> is the guide's title, so a Markdown "# heading" becomes an <h2>.
"""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
TEXT_TAGS = frozenset(
    {"p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li", "a", "abbr"}
)
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


class _DemoteTopHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _DemoteTopHeadingsExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_top_headings", 0)


def render_markdown(text: str, *, headings: bool = True) -> str:
    """Markdown to sanitised HTML. With headings=False (FAQ answers, which sit under a question's
    heading) heading tags are dropped and their text kept, so the page's outline stays in order."""
    html = markdown.markdown(text or "", extensions=["sane_lists", _DemoteTopHeadingsExtension()])
    return nh3.clean(
        html,
        tags=TEXT_TAGS | HEADING_TAGS if headings else TEXT_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
