"""The building blocks of the e-mails (templates/enrollment/emails/). Each block renders as HTML in the HTML part
and as plain text in the text part, from the same template source, so that both parts say the same things.

    {% p %}…{% endp %}                 a paragraph
    {% lines %}…{% endlines %}         a paragraph whose line breaks are kept (what a person wrote)
    {% h2 %}…{% endh2 %}               a section's heading
    {% facts %}{% fact "Label" %}…{% endfact %}…{% endfacts %}     key facts, "Label: value"
    {% bullets %}{% item %}…{% enditem %}…{% endbullets %}         a list; {% steps %} numbers its items
    {% quote %}{{ what a person typed }}{% endquote %}             their words, line breaks kept
    {% link url %}label{% endlink %}   a link: "label: url" in text (an e-mail address or a phone number: the label)
    {% action url %}label{% endaction %}                           the call to action, a button in HTML

Which part is being rendered is the context's `email_html`; enrollment.emails renders the text part with
autoescape off (plain, as typed) and the HTML part with autoescape on. The HTML blocks wrap their content
in fixed markup with format_html and never transform it, so that what a person typed stays escaped."""

from django import template
from django.utils.html import format_html

from enrollment.emails import HTML, one_line

register = template.Library()

_LIST = "email_list"  # set by a list for its items: [numbered, items so far]


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _block(text: str) -> str:
    """A block of the text part: blank lines around it (enrollment.emails collapses the extra ones)."""
    return f"\n\n{text}\n\n" if text else ""


def _is_address(url: str) -> bool:
    """An e-mail address or a phone number: mail programs make the text itself a link."""
    return url.startswith(("mailto:", "tel:"))


def _text_link(label: str, url: str) -> str:
    label = one_line(label)
    return label if _is_address(url) or label == url else f"{label}: {url}"


class EmailBlock(template.Node):
    """One block tag: a paragraph, unless a subclass says otherwise. In HTML, fixed markup around the content
    (`markup`); in text, the content on one line, as a block. `argument` is the tag's one value, if any."""

    markup = "<p>{}</p>\n"

    def __init__(self, nodelist, argument=None):
        self.nodelist = nodelist
        self.argument = argument

    def render(self, context):
        content = self.nodelist.render(context)
        if not content.strip():
            return ""
        argument = self.argument.resolve(context) if self.argument is not None else None
        if context.get(HTML):
            return self.html(content, argument)
        return self.text(content, argument, context)

    def html(self, content, argument):
        return format_html(self.markup, content)

    def text(self, content, argument, context):
        return _block(one_line(content))


class Lines(EmailBlock):
    markup = '<p class="lines">{}</p>\n'

    def text(self, content, argument, context):
        return _block(_lines(content))


class Heading(EmailBlock):
    markup = "<h2>{}</h2>\n"


class Facts(EmailBlock):
    markup = '<dl class="facts">{}</dl>\n'

    def text(self, content, argument, context):
        return _block(_lines(content))


class Fact(EmailBlock):
    def html(self, content, argument):
        return format_html('<div class="fact"><dt>{}:</dt> <dd>{}</dd></div>\n', argument, content)

    def text(self, content, argument, context):
        return f"\n{argument}: {one_line(content)}\n"


class List(Facts):
    markup = "<ul>{}</ul>\n"
    numbered = False

    def render(self, context):
        with context.push({_LIST: [self.numbered, 0]}):
            return super().render(context)


class Steps(List):
    markup = "<ol>{}</ol>\n"
    numbered = True


class Item(EmailBlock):
    markup = "<li>{}</li>\n"

    def text(self, content, argument, context):
        position = context[_LIST]
        position[1] += 1
        marker = f"{position[1]}." if position[0] else "-"
        return f"\n{marker} {one_line(content)}\n"


class Quote(EmailBlock):
    markup = "<blockquote>{}</blockquote>\n"

    def text(self, content, argument, context):
        return _block("\n".join(f"    {line.strip()}" for line in content.strip().splitlines()))


class Link(EmailBlock):
    def html(self, content, argument):
        return format_html('<a href="{}">{}</a>', argument, content)

    def text(self, content, argument, context):
        return _text_link(content, argument)


class Action(EmailBlock):
    def html(self, content, argument):
        return format_html('<p class="action"><a class="button" href="{}">{}</a></p>\n', argument, content)

    def text(self, content, argument, context):
        return _block(_text_link(content, argument))


def _register(name: str, node_class: type[EmailBlock], *, argument: bool = False) -> None:
    def compile_block(parser, token):
        bits = token.split_contents()
        if len(bits) != (2 if argument else 1):
            raise template.TemplateSyntaxError(
                f"{{% {name} %}} takes {'one value' if argument else 'no value'}: {token.contents!r}"
            )
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        return node_class(nodelist, parser.compile_filter(bits[1]) if argument else None)

    register.tag(name, compile_block)


_register("p", EmailBlock)
_register("lines", Lines)
_register("h2", Heading)
_register("facts", Facts)
_register("fact", Fact, argument=True)
_register("bullets", List)
_register("steps", Steps)
_register("item", Item)
_register("quote", Quote)
_register("link", Link, argument=True)
_register("action", Action, argument=True)
