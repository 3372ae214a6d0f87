"""Sphinx configuration of the rdptheory documentation.

Build it (warnings are errors) with:

    pip install -e ".[docs]" && sphinx-build -W -b html docs docs/_build/html

The markdown pages are read by myst-parser; the API reference (``docs/api/``) is written here,
at build time, with one page per public module found by walking the packages, so a new module
appears without editing this file. The claims table (docs/claims.md) and the figure gallery
(docs/figures.md) are generated from the registries by ``python -m proofs_checks.readme_table``
and ``python -m rdptheory.plots.gallery``; tests fail while either is stale.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import rdptheory  # noqa: E402

project = "rdptheory"
author = "The rdptheory authors"
copyright = "2025-2026, The rdptheory authors"
release = version = rdptheory.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "figures/*.csv"]
myst_heading_anchors = 3
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True        # dataclass fields are documented once, as members
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autosummary_generate = False
html_theme = "alabaster"
html_title = f"rdptheory {release}"
suppress_warnings = [
    "myst.xref_missing",   # links to files outside docs/ (README, LICENSE)
    "ref.python",          # ambiguous words in numpydoc type fields ("array of shape (m, n)")
    "ref.citation",        # a docstring's reference list entry that its text does not cite
]

#: Public modules: no part starting with "_", not the command line, not the figure modules
#: (they register figures; the gallery shows them).
EXCLUDE = ("rdptheory.cli", "rdptheory.plots.")
EXTRA = ("proofs_checks.registry", "proofs_checks.report")


def public_modules():
    names = ["rdptheory"]
    for m in pkgutil.walk_packages(rdptheory.__path__, "rdptheory."):
        if any(p.startswith("_") for p in m.name.split(".")) or m.name.startswith(EXCLUDE):
            continue
        names.append(m.name)
    return sorted(names) + list(EXTRA)


def write_api_pages():
    """docs/api/index.rst (autosummary table + toctree) and one automodule page per module."""
    out = HERE / "api"
    out.mkdir(exist_ok=True)
    mods = public_modules()
    for name in mods:
        importlib.import_module(name)
        parent = sys.modules.get(name.rpartition(".")[0])
        # a submodule whose package re-exports its API (``__all__``) is documented without
        # index entries, so that every object has one target: the package's
        reexported = (parent is not None and parent.__name__ != "rdptheory"
                      and hasattr(parent, "__all__"))
        title = f"``{name}``"
        text = (f"{title}\n{'=' * len(title)}\n\n.. automodule:: {name}\n"
                + ("   :no-index:\n" if reexported else ""))
        page = out / f"{name}.rst"
        if not page.exists() or page.read_text() != text:
            page.write_text(text)
    index = ("API reference\n=============\n\nEvery public module, from its docstrings "
             "(numpydoc style: formula, source, example).\n\n.. autosummary::\n\n"
             + "".join(f"   {m}\n" for m in mods)
             + "\n.. toctree::\n   :hidden:\n\n" + "".join(f"   {m}\n" for m in mods))
    if not (out / "index.rst").exists() or (out / "index.rst").read_text() != index:
        (out / "index.rst").write_text(index)


write_api_pages()
