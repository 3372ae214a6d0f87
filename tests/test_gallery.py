"""The figure gallery (docs/figures.md) is generated from the figure registry and must not go
stale."""
from pathlib import Path

from rdptheory.plots import all_figures
from rdptheory.plots.gallery import (END, IMAGE_DIR, LINK_DIR, PAGE, START, missing_images,
                                     render, updated)

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / PAGE


def test_gallery_is_current():
    """docs/figures.md holds the gallery block, generated from the figure registry."""
    text = GALLERY.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert updated(text) == text, ("docs/figures.md gallery is stale: run "
                                   "`python -m rdptheory.plots.gallery --images`")


def test_every_figure_has_its_image_and_csv():
    assert missing_images(ROOT) == [], ("run `python -m rdptheory.plots.gallery --images` and "
                                        f"commit {IMAGE_DIR}/")
    for f in all_figures():
        png = ROOT / IMAGE_DIR / f"{f.name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 10_000 < png.stat().st_size < 400_000, f"{png.name}: keep gallery images modest"


def test_gallery_lists_every_figure_with_title_image_and_caption():
    block = render()
    for f in all_figures():
        assert f"## {f.title}" in block
        assert f"]({LINK_DIR}/{f.name}.png)" in block
        assert f.caption in block


def test_stale_gallery_is_detected():
    text = GALLERY.read_text(encoding="utf-8")
    stale = text.replace(START, START + "\nan outdated line", 1)
    assert updated(stale) != stale and updated(stale) == updated(text)
