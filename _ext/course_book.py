"""Small fixes to the rendered book that Jupyter Book 1 has no setting
for.

- sphinx-thebe registers its configuration script twice under Jupyter
  Book 1, and the second `const THEBE_JS_URL` is a JavaScript error on
  every page: keep one copy.
- Each chapter's download menu offers its MyST `.md` source next to the
  `.ipynb` (the book reads the `.ipynb`, so Sphinx would only publish
  that one).
- The landing page's chapter table (book/_chapters.md) is written before
  each build by scripts/course_map.py, so its reading and run times are
  never stale.
- Citations in round brackets (see round_bracket_citations).
"""

import shutil
from pathlib import Path


def unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # the copies differ only in filename: None and "" (both mean an
        # inline script)
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def markdown_source(app, docname):
    """The paired .md of a notebook page, relative to the book's root,
    or None."""
    path = Path(app.env.doc2path(docname))
    if path.suffix == ".ipynb" and path.with_suffix(".md").is_file():
        return (
            path.with_suffix(".md").relative_to(app.srcdir).as_posix()
        )
    return None


def add_markdown_download(
    app, pagename, templatename, context, doctree
):
    if (
        doctree is None
        or (source := markdown_source(app, pagename)) is None
    ):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            sources = context["pathto"]("_sources", 1)
            group["buttons"].insert(
                1,
                {
                    "type": "link",
                    "url": f"{sources}/{source}",
                    "text": ".md",
                    "tooltip": (
                        "Download the MyST markdown source (opens as a "
                        "notebook with jupytext)"
                    ),
                    "icon": "fas fa-file-lines",
                    "label": "download-markdown-button",
                },
            )


def copy_markdown_sources(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for docname in app.env.found_docs:
        if (source := markdown_source(app, docname)) is not None:
            target = Path(app.outdir) / "_sources" / source
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(app.srcdir) / source, target)


def write_chapter_table(app):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "course_map", Path(app.srcdir) / "scripts" / "course_map.py"
    )
    course_map = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_map)
    course_map.write_table()


def setup(app):
    round_bracket_citations()
    app.connect("builder-inited", write_chapter_table)
    app.connect("html-page-context", unique_scripts, priority=900)
    # after sphinx-book-theme's own header buttons (priority 501)
    app.connect(
        "html-page-context", add_markdown_download, priority=600
    )
    app.connect("build-finished", copy_markdown_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def round_bracket_citations():
    """Author-year citations in round brackets, (Devlin et al., 2018),
    as the prose had them; sphinxcontrib-bibtex's author_year style uses
    square ones."""
    import dataclasses

    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import (
        AuthorYearReferenceStyle,
    )

    def round_brackets():
        return BracketStyle(left="(", right=")")

    @dataclasses.dataclass
    class RoundAuthorYear(AuthorYearReferenceStyle):
        bracket_parenthetical: BracketStyle = dataclasses.field(
            default_factory=round_brackets
        )
        bracket_textual: BracketStyle = dataclasses.field(
            default_factory=round_brackets
        )
        bracket_author: BracketStyle = dataclasses.field(
            default_factory=round_brackets
        )
        bracket_label: BracketStyle = dataclasses.field(
            default_factory=round_brackets
        )
        bracket_year: BracketStyle = dataclasses.field(
            default_factory=round_brackets
        )

    register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        "author_year_round",
        RoundAuthorYear,
    )
