"""The documentation pages (docs/*.md): their examples run, their links resolve, and nothing
cites the project's unpublished reference notes."""
import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page):
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def _relative_links(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)   # code blocks hold no links
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue                                      # URL or in-page anchor
        yield target.split("#", 1)[0]


@pytest.mark.parametrize("path", [ROOT / "README.md"] + PAGES, ids=lambda p: p.name)
def test_relative_links_and_images_resolve(path):
    missing = [t for t in _relative_links(path) if not (path.parent / t).exists()]
    assert not missing, f"{path.name}: broken links {missing}"


def test_link_check_catches_a_broken_link(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("[ok](p.md) ![img](figures/none.png) [web](https://x.org/a.md)\n")
    assert [t for t in _relative_links(page) if not (tmp_path / t).exists()] == \
        ["figures/none.png"]


#: The project's working notes that are not part of the repository: never cite them.
NOTES = re.compile(r"(?<![\w-])(?:lattices|ltc|gaussian" r"-rdp)\.md\b|shared/" r"reference|"
                   r"issue's " r"target")
SKIP_DIRS = {".git", ".hypothesis", "__pycache__", "_build", "build", "dist"}


def test_no_citation_of_the_reference_notes():
    hits = []
    for path in ROOT.rglob("*"):
        if (not path.is_file() or SKIP_DIRS & set(path.relative_to(ROOT).parts)
                or path.suffix in {".png", ".pdf", ".pyc", ".so"}
                or any(p.endswith(".egg-info") for p in path.parts)):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if NOTES.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()[:80]}")
    assert not hits, "cite the primary source instead:\n" + "\n".join(hits)


def test_citation_check_catches_the_notes():
    """Negative control: each way the notes used to be cited is caught; our own pages are not."""
    planted = ["SPLAG; " + "lattices" + ".md §2", "as tabulated in " + "ltc" + ".md",
               "gaussian" + "-rdp.md section 1", "see ``shared/" + "reference/``",
               "Against the issue" + "'s targets"]
    assert all(NOTES.search(t) for t in planted)
    assert not any(NOTES.search(t) for t in ["docs/dithered-ltc.md", "lattice-quantizers.md",
                                             "docs/gaussian.md"])
