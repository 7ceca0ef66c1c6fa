"""Draw the landing page's course map (committed) and write its chapter
table (at build time).

    python scripts/course_map.py           # book/images/course_map.svg
    python scripts/course_map.py --check   # exit 1 if the map is stale

(a test runs the check).

A chapter that _toc.yml does not list yet is drawn dashed and marked
"coming", so the map stays true as chapters land: add the chapter to
_toc.yml, run this script, commit. The SVG is plain shapes and text (no
fonts or scripts to fetch): it renders offline.

The chapter table (book/_chapters.md: reading time, stored run time,
Colab link) changes with every prose edit and every `make execute`, so
it is not committed: the book's extension (_ext/course_book.py) writes
it from this module before each build.
"""

import itertools
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "book" / "images" / "course_map.svg"
TABLE = ROOT / "book" / "_chapters.md"
COLAB = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}.ipynb"
# the reading speed MyST assumes (myst_words_per_minute)
WORDS_PER_MINUTE = 200

# Okabe and Ito's colour-blind-safe palette, as in
# bertcourse.plotting.MODEL_COLORS.
COLOURS = {
    "bert": "#0072B2",
    "roberta": "#E69F00",
    "albert": "#009E73",
    "distilbert": "#D55E00",
    None: "#555555",
}

# The map, row by row: (toc entry, title, subtitle, model).
ROWS = [
    [
        (
            "notebooks/01_bert_in_five_minutes",
            "1 BERT",
            "in five minutes",
            "bert",
        )
    ],
    [
        (
            "notebooks/02_roberta",
            "2 RoBERTa",
            "a better recipe",
            "roberta",
        ),
        (
            "notebooks/03_albert",
            "3 ALBERT",
            "fewer parameters",
            "albert",
        ),
        (
            "notebooks/04_distilbert",
            "4 DistilBERT",
            "soft targets",
            "distilbert",
        ),
    ],
    [
        (
            "notebooks/05_side_by_side",
            "5 Side by side",
            "and a claim check",
            None,
        ),
        (
            "notebooks/11_what_came_next",
            "11 What came next",
            "ELECTRA, DeBERTa-v3, ModernBERT",
            None,
        ),
    ],
    [
        (
            "notebooks/06_sentiment_sst2_roberta",
            "6 Sentiment",
            "RoBERTa, SST-2",
            "roberta",
        ),
        (
            "notebooks/07_ner_conll_albert",
            "7 Entities",
            "ALBERT, CoNLL-2003",
            "albert",
        ),
        (
            "notebooks/08_qa_squad_distilbert",
            "8 Questions",
            "DistilBERT, SQuAD",
            "distilbert",
        ),
    ],
    [
        (
            "notebooks/09_distillation",
            "9 Distillation",
            "a student of your own",
            "distilbert",
        ),
        (
            "notebooks/10_benchmarking",
            "10 Benchmarking",
            "size, speed, accuracy",
            None,
        ),
    ],
    [
        (
            "book/decision_guide",
            "Decision guide",
            "which model, when",
            None,
        )
    ],
]
CAPTIONS = [
    "Pre-training",
    "",
    "",
    "Fine-tuning",
    "Distillation and benchmarking",
    "",
]

WIDTH, MARGIN, GAP, BOX_H, ROW_GAP = 480, 8, 12, 54, 30


def toc_files():
    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections"))
            yield from walk(entry.get("chapters"))

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return {
        toc["root"],
        *walk(toc.get("parts")),
        *walk(toc.get("chapters")),
    }


def boxes():
    """(x, y, w, entry, title, subtitle, model) for every box, row by
    row."""
    laid_out, y = [], 10
    for row in ROWS:
        w = (WIDTH - 2 * MARGIN - GAP * 2) / 3
        total = len(row) * w + (len(row) - 1) * GAP
        x = (WIDTH - total) / 2
        laid_out.append(
            [
                (x + i * (w + GAP), y, w, *node)
                for i, node in enumerate(row)
            ]
        )
        y += BOX_H + ROW_GAP
    return laid_out


def arrow(x1, y1, x2, y2):
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" '
        f'x2="{x2:.1f}" y2="{y2:.1f}" '
        'stroke="#777" stroke-width="1.5" marker-end="url(#head)"/>'
    )


def draw(present):
    rows = boxes()
    height = rows[-1][0][1] + BOX_H + 10
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
            'font-family="DejaVu Sans, Arial, sans-serif">'
        ),
        (
            "<title>The course map: BERT, then RoBERTa, ALBERT and "
            "DistilBERT, a side-by-side comparison and what came next "
            "(ELECTRA, DeBERTa-v3, ModernBERT), three fine-tuning "
            "chapters, distillation, benchmarking and a decision "
            "guide</title>"
        ),
        (
            '<defs><marker id="head" viewBox="0 0 10 10" refX="9" '
            'refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto"><path d="M0,0 L10,5 L0,10 z" '
            'fill="#777"/></marker></defs>'
        ),
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # arrows: every box to every box of the next row (one to many, many
    # to one), and side by side within the distillation row
    for upper, lower in itertools.pairwise(rows):
        if len(upper) > 1 and len(lower) > 1:
            if len(upper) == len(lower):
                pairs = zip(upper, lower)
            elif len(upper) > len(lower):  # many to the row's first
                pairs = [(a, lower[0]) for a in upper]
            else:  # from the row's first (5, not 11) to many
                pairs = [(upper[0], b) for b in lower]
        else:
            pairs = [(a, b) for a in upper for b in lower]
        for a, b in pairs:
            out.append(
                arrow(
                    a[0] + a[2] / 2,
                    a[1] + BOX_H,
                    b[0] + b[2] / 2,
                    b[1] - 2,
                )
            )
    for row in rows:
        if len(row) == 2:  # 5 -> 11, 9 -> 10
            a, b = row
            out.append(
                arrow(
                    a[0] + a[2],
                    a[1] + BOX_H / 2,
                    b[0] - 2,
                    b[1] + BOX_H / 2,
                )
            )
    for row in rows:
        for x, y, w, entry, title, subtitle, model in row:
            colour = COLOURS[model]
            coming = entry not in present
            stroke = ' stroke-dasharray="5 4"' if coming else ""
            fill = "#f4f4f4" if coming else "#ffffff"
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" '
                f'height="{BOX_H}" rx="7" fill="{fill}" '
                f'stroke="{"#999" if coming else colour}" '
                f'stroke-width="2"{stroke}/>'
            )
            if not coming:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="7" '
                    f'height="{BOX_H}" rx="3" fill="{colour}"/>'
                )
            cx = x + w / 2
            text_colour = "#777" if coming else "#222"
            out.append(
                f'<text x="{cx:.1f}" y="{y + 23}" text-anchor="middle" '
                'font-size="14" font-weight="bold" '
                f'fill="{text_colour}">{escape(title)}</text>'
            )
            sub = "coming" if coming else subtitle
            style = ' font-style="italic"' if coming else ""
            out.append(
                f'<text x="{cx:.1f}" y="{y + 42}" text-anchor="middle" '
                'font-size="13" '
                f'fill="{text_colour}"{style}>{escape(sub)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def reading_minutes(path):
    """Minutes to read a chapter's prose at WORDS_PER_MINUTE (code and
    outputs left out)."""
    notebook = nbformat.read(ROOT / f"{path}.ipynb", as_version=4)
    words = sum(
        len(c.source.split())
        for c in notebook.cells
        if c.cell_type == "markdown"
    )
    return math.ceil(words / WORDS_PER_MINUTE)


def table(present):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix(
        "https://github.com/"
    )
    lines = [
        (
            "<!-- Written by scripts/course_map.py from _toc.yml and "
            "the notebooks: do not edit. -->"
        ),
        "",
        "| chapter | read | runs here (smoke) | run it yourself |",
        "|---|---|---|---|",
    ]
    for row in ROWS:
        for entry, title, subtitle, _ in row:
            number, _, name = title.partition(" ")
            if entry not in present:
                lines.append(f"| {title}: {subtitle} | *coming* | | |")
                continue
            if not entry.startswith("notebooks/"):
                lines.append(f"| {{doc}}`{title} <../{entry}>` | | | |")
                continue
            metadata = nbformat.read(
                ROOT / f"{entry}.ipynb", as_version=4
            ).metadata["bertcourse"]
            colab = COLAB.format(
                repo=repo,
                branch=config["repository"]["branch"],
                path=entry,
            )
            lines.append(
                f"| {number}. {{doc}}`{name} <../{entry}>` | "
                f"{reading_minutes(entry)} min "
                f"| {metadata['run_seconds']:.0f} s | [Open "
                f"in Colab]({colab}) |"
            )
    return "\n".join(lines) + "\n"


def write_table():
    """Write book/_chapters.md if its text changed (an unchanged file
    keeps the build incremental)."""
    text = table(toc_files())
    if not TABLE.exists() or TABLE.read_text() != text:
        TABLE.write_text(text)


def main(argv):
    svg = draw(toc_files())
    if "--check" in argv:
        if not SVG.exists() or SVG.read_text() != svg:
            print(
                f"out of date: {SVG.relative_to(ROOT)}: run `python "
                "scripts/course_map.py`"
            )
            return 1
        return 0
    SVG.parent.mkdir(parents=True, exist_ok=True)
    SVG.write_text(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
