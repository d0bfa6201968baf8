"""Write static/css/bootstrap.css: the rules of Bootstrap 5's CSS that the public pages use, and nothing else.

    .venv/bin/python scripts/subset_bootstrap.py          # after changing a template's classes
    .venv/bin/python scripts/subset_bootstrap.py --check  # exit 1 if the committed file is not what it writes

Run it by hand and commit its output: there is no front-end build. The source is the bootstrap.min.css of
the django-bootstrap-static package (requirements-dev.txt), whose version names the Bootstrap release.

Which classes the pages use comes from two places, so that a class in a branch the demo does not reach is
kept too:
- every `class="..."` of our templates (not the admin's, not the e-mails), and every `css_class="..."` of
  our Python code (crispy-forms layouts), read as text: template tags inside an attribute count as spaces;
- every `class="..."` of the public pages rendered with the demo content (a throwaway SQLite database):
  crispy-forms writes classes of its own around each field, and more when a form is sent back with errors.

A rule is kept when one of its selectors names only classes in that set (the rest of its selector list is
dropped); element selectors (Bootstrap's reboot) are kept; anything for the dark colour mode is dropped.
Custom properties of `:root` that nothing kept reads (`var(--bs-...)`, here or in our own stylesheets)
are dropped, and @keyframes that no kept rule names. Bootstrap's licence banner stays at the top (MIT).

tests/emsprogram/test_bootstrap_subset.py checks that every Bootstrap class our templates and forms use is
in the file, so a template that starts using a class not yet kept fails the suite until this is run."""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

import tinycss2

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_DIR / "static" / "css" / "bootstrap.css"
OUR_STYLESHEETS = [PROJECT_DIR / "static" / "css" / "site.css", PROJECT_DIR / "static" / "css" / "print.css"]
# Classes built inside a template expression, which no text scan sees whole: the message levels of
# includes/messages.html (`alert-{{ message.tags }}`).
BUILT_CLASSES = {"alert-info", "alert-success", "alert-warning", "alert-danger"}

_CLASS_ATTRIBUTE = re.compile(r"""\b(?:class|css_class)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_CLASS_NAME = re.compile(r"^-?[_a-zA-Z](?:[\w-]*\w)?$")  # not the "alert-" of "alert-{{ tag }}"
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")


def bootstrap_source() -> Path:
    import bootstrap  # django-bootstrap-static

    return Path(bootstrap.__file__).resolve().parent / "static" / "bootstrap" / "css" / "bootstrap.min.css"


def classes_in(text: str) -> set[str]:
    found = set()
    for double, single in _CLASS_ATTRIBUTE.findall(text):
        value = _TEMPLATE_SYNTAX.sub(" ", double or single)
        found.update(token for token in value.split() if _CLASS_NAME.match(token))
    return found


def source_files() -> list[Path]:
    """Our public templates and our Python code (crispy layouts name classes in css_class)."""
    templates = [
        path
        for path in (PROJECT_DIR / "templates").rglob("*.html")
        if "admin" not in path.relative_to(PROJECT_DIR / "templates").parts
    ]
    code = [
        path
        for folder in ("emsprogram", "roles", "enrollment", "sitepages")
        for path in (PROJECT_DIR / folder).rglob("*.py")
        if "migrations" not in path.parts and "admin" not in path.parts and path.name != "admin.py"
    ]
    return sorted(templates + code)


def classes_in_sources() -> set[str]:
    found = set(BUILT_CLASSES)
    for path in source_files():
        found |= classes_in(path.read_text())
    return found


def rendered_pages() -> list[str]:
    """The HTML of every public page with the demo content, and of each form sent back empty (errors)."""
    workdir = Path(tempfile.mkdtemp(prefix="subset-bootstrap-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="emsprogram.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from enrollment.models import Program
    from roles.models import CertificationLevel, Guide, Role

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=StringIO())
    client = Client()
    paths = [
        reverse(name)
        for name in (
            "home",
            "roles:index",
            "roles:compare",
            "roles:faq",
            "enrollment:program-list",
            "enrollment:apply-start",
            "enrollment:contact",
            "sitepages:accreditation",
            "sitepages:paying",
            "sitepages:refunds",
            "sitepages:terms",
            "sitepages:privacy",
            "sitepages:accessibility",
        )
    ]
    paths += [level.get_absolute_url() for level in CertificationLevel.objects.all()]
    paths += [role.get_absolute_url() for role in Role.objects.all()]
    paths += [guide.get_absolute_url() for guide in Guide.objects.all()]
    paths += [reverse("roles:compare") + "?levels=nope"]
    programs = list(Program.objects.all())
    paths += [program.get_absolute_url() for program in programs]
    paths += [program.get_apply_url() for program in programs]
    pages = [client.get(path).content.decode() for path in paths]
    pages += [client.post(program.get_apply_url(), {}).content.decode() for program in programs]
    pages.append(client.post(reverse("enrollment:contact"), {}).content.decode())
    pages.append(client.get("/no-such-page/").content.decode())
    return pages


def used_classes() -> set[str]:
    found = classes_in_sources()
    for html in rendered_pages():
        found |= classes_in(html)
    return found


def _selectors(prelude) -> list[str]:
    return [part.strip() for part in tinycss2.serialize(prelude).split(",") if part.strip()]


def _keep_selector(selector: str, used: set[str]) -> bool:
    if "data-bs-theme" in selector:  # the colour modes; the site has one
        return False
    return all(name in used for name in _SELECTOR_CLASS.findall(selector))


def _content(rule) -> str:
    return tinycss2.serialize(rule.content).strip()


def subset_rules(rules, used: set[str]) -> list:
    """The kept rules, as (selector text or at-rule head, body text or nested list) pairs."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [selector for selector in _selectors(rule.prelude) if _keep_selector(selector, used)]
            if selectors:
                kept.append((",".join(selectors), _content(rule)))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = subset_rules(
                tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used
            )
            if inner:
                kept.append((f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}", inner))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            kept.append((f"@keyframes {tinycss2.serialize(rule.prelude).strip()}", _content(rule)))
    return kept


def serialise(kept) -> str:
    parts = []
    for head, body in kept:
        if isinstance(body, list):
            parts.append(f"{head}{{{serialise(body)}}}")
        else:
            parts.append(f"{head}{{{body}}}")
    return "".join(parts)


def drop_unused_keyframes(kept, css: str):
    return [
        (head, body)
        for head, body in kept
        if not head.startswith("@keyframes ") or re.search(rf"animation[^;{{}}]*\b{head.split()[1]}\b", css)
    ]


def drop_unused_root_properties(kept, ours: str):
    """Remove the `--bs-*` declarations of :root that no kept rule, nor our stylesheets, reads."""
    root_index = next(index for index, (head, _) in enumerate(kept) if head == ":root")
    head, body = kept[root_index]
    declarations = [
        declaration
        for declaration in tinycss2.parse_blocks_contents(body, skip_comments=True, skip_whitespace=True)
        if declaration.type == "declaration"
    ]
    values = {declaration.name: tinycss2.serialize(declaration.value).strip() for declaration in declarations}
    others = serialise([rule for index, rule in enumerate(kept) if index != root_index]) + ours
    needed = set(_VAR_USE.findall(others))
    # A needed property may read others: follow them.
    pending = list(needed)
    while pending:
        name = pending.pop()
        for used in _VAR_USE.findall(values.get(name, "")):
            if used not in needed:
                needed.add(used)
                pending.append(used)
    body = ";".join(
        f"{d.name}:{values[d.name]}{'!important' if d.important else ''}"
        for d in declarations
        if not d.name.startswith("--") or d.name in needed
    )
    kept[root_index] = (head, body)
    return kept


def build(used: set[str]) -> str:
    source = bootstrap_source().read_text()
    banner = re.match(r'@charset "UTF-8";(/\*!.*?\*/)', source, re.S).group(1)
    rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    kept = subset_rules(rules, used)
    ours = "".join(path.read_text() for path in OUR_STYLESHEETS)
    kept = drop_unused_root_properties(kept, ours)
    kept = drop_unused_keyframes(kept, serialise(kept))
    note = (
        "/* The subset of Bootstrap that our public pages use, written by scripts/subset_bootstrap.py: do not edit;\n"
        "   change the templates, then run the script again. */\n"
    )
    return f"{banner}\n{note}{serialise(kept)}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    arguments = parser.parse_args()
    css = build(used_classes())
    if arguments.check:
        if OUTPUT.read_text() != css:
            sys.exit(f"{OUTPUT.relative_to(PROJECT_DIR)} is out of date: run scripts/subset_bootstrap.py")
        print(f"{OUTPUT.relative_to(PROJECT_DIR)} is up to date")
        return
    OUTPUT.write_text(css)
    print(f"wrote {OUTPUT.relative_to(PROJECT_DIR)}: {len(css.encode())} bytes")


if __name__ == "__main__":
    main()
