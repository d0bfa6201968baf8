"""The documentation shows what it names: every picture the README and docs/ show is in the repository."""

import re
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DOCUMENTS = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
PICTURE = re.compile(r'<img [^>]*src="([^"]+)"|!\[[^\]]*\]\(([^)\s]+)')
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)  # examples, not pictures


def pictures(document: Path) -> list[str]:
    text = CODE_BLOCK.sub("", document.read_text())
    return [next(filter(None, match.groups())) for match in PICTURE.finditer(text)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_every_picture_a_document_shows_is_in_the_repository(document):
    missing = [
        source
        for source in pictures(document)
        if not source.startswith(("http:", "https:")) and not (document.parent / source).is_file()
    ]
    assert missing == [], f"{document.relative_to(PROJECT_DIR)} shows pictures that are not there: {missing}"


def test_the_documents_show_pictures_at_all():
    assert len(pictures(PROJECT_DIR / "README.md")) > 10
    assert len(pictures(PROJECT_DIR / "docs" / "emails.md")) > 10
