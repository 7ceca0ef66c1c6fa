"""The book's reader-facing pages: landing page, course map, citations,
glossary, palette."""

import itertools
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("0*.md"))
INTRO = (ROOT / "book" / "intro.md").read_text()


def toc_files():
    sys.path.insert(0, str(ROOT / "scripts"))
    from course_map import toc_files as files

    return files()


def prose(md):
    """A chapter's markdown outside code cells and fenced blocks."""
    return re.sub(
        r"^```.*?^```",
        "",
        md.read_text(),
        flags=re.DOTALL | re.MULTILINE,
    )


def test_toc_keeps_every_page():
    listed = toc_files()
    for path in [
        *CHAPTERS,
        *(ROOT / "book").glob("*.md"),
        *(ROOT / "labs").glob("[0-9]*.md"),
    ]:
        name = path.relative_to(ROOT).with_suffix("").as_posix()
        if not path.name.startswith("_"):
            assert name in listed, (
                f"{name} is not in _toc.yml: the book would leave it "
                "out"
            )


def test_course_map_and_chapter_table_are_up_to_date():
    """Chapters 9, 10 and the decision guide show as 'coming' until
    _toc.yml lists them."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "course_map.py"),
            "--check",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    sys.path.insert(0, str(ROOT / "scripts"))
    from course_map import table

    # what the build writes into book/_chapters.md
    table = table(toc_files())
    for entry in (
        "notebooks/09_distillation",
        "notebooks/10_benchmarking",
        "book/decision_guide",
    ):
        coming = entry not in toc_files()
        assert (f"<../{entry}>" not in table) == coming


def test_landing_page_has_what_a_reader_needs():
    for text in (
        "What you will be able to do",
        "Prerequisites",
        "Three ways to use the course",
        "git clone https://github.com/",
        "make test",
        "images/course_map.svg",
        "_chapters.md",
    ):
        assert text in INTRO
    url = yaml.safe_load((ROOT / "_config.yml").read_text())[
        "repository"
    ]["url"]
    assert f"git clone {url}\n" in INTRO
    sys.path.insert(0, str(ROOT / "scripts"))
    from course_map import table

    table = table(toc_files())
    for md in CHAPTERS:
        assert f"blob/main/notebooks/{md.stem}.ipynb) |" in table, (
            f"no Open in Colab link for {md.stem}"
        )


def test_every_reference_is_cited_and_no_plain_text_citations_are_left():  # noqa: E501
    keys = re.findall(
        r"^@\w+\{([^,]+),",
        (ROOT / "book" / "references.bib").read_text(),
        flags=re.MULTILINE,
    )
    # the chapters and labs, and the reference pages (whose glossary is
    # a fenced directive)
    notebooks = [
        *(ROOT / "notebooks").glob("*.md"),
        *(ROOT / "labs").glob("[0-9]*.md"),
    ]
    cited = "".join(prose(md) for md in notebooks) + "".join(
        md.read_text() for md in (ROOT / "book").glob("*.md")
    )
    for key in keys:
        assert re.search(r"\{cite:\w+\}`[^`]*" + key, cited), (
            f"{key} is cited by no page of the book"
        )
    cited = "".join(prose(md) for md in CHAPTERS)
    plain = re.findall(
        r"(?:Devlin et al\.,? \(?2018|(?:Liu|Lan|Sanh) et al\.,? "
        r"\(?2019|Rajpurkar et al\.,? \(?2016|Hinton et al\.,? "
        r"\(?2015)\b",
        cited,
    )
    assert not plain, f"plain-text citations left: {plain}"


def test_glossary_terms_are_used_by_the_chapters():
    glossary = (
        (ROOT / "book" / "glossary.md")
        .read_text()
        .split("```{glossary}")[1]
    )
    terms = {
        t.lower()
        for t in re.findall(
            r"^(\S[^\n]*)\n  ", glossary, flags=re.MULTILINE
        )
    }
    text = "".join(prose(md) for md in CHAPTERS)
    # {term}`word` or {term}`shown text <term>`
    used = {
        (target or shown).lower()
        for shown, target in re.findall(
            r"\{term\}`([^`<]+?)(?: <([^>]+)>)?`", text
        )
    }
    assert used <= terms, f"not in the glossary: {used - terms}"
    assert len(terms) >= 15 and len(used) >= 12, sorted(used)


# Machado, Oliveira and Fernandes (2009), full dichromacy, applied to
# linear RGB.
MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def seen_as_lab(hex_colour, kind):
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in rgb
    ]
    if kind:
        rgb = [
            min(1, max(0, sum(m * c for m, c in zip(row, rgb))))
            for row in MACHADO[kind]
        ]
    r, g, b = rgb
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883
    f = lambda t: (
        t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    )
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def closest_pair(colours, kind):
    """The smallest colour difference (CIE76 delta E) between two
    colours, as seen with `kind`."""
    return min(
        sum(
            (p - q) ** 2
            for p, q in zip(seen_as_lab(a, kind), seen_as_lab(b, kind))
        )
        ** 0.5
        for a, b in itertools.combinations(colours, 2)
    )


def test_model_colours_stay_distinct_with_colour_blindness():
    from bertcourse.plotting import MODEL_COLORS

    for kind in (None, *MACHADO):
        assert closest_pair(MODEL_COLORS.values(), kind) > 15, kind
    # the palette it replaced (seaborn "deep") fails for red-green
    # colour blindness
    assert (
        closest_pair(
            ["#4C72B0", "#DD8452", "#55A868", "#C44E52"], "deuteranopia"
        )
        < 15
    )


def test_course_map_uses_the_model_colours():
    from bertcourse.plotting import MODEL_COLORS

    svg = (ROOT / "book" / "images" / "course_map.svg").read_text()
    assert all(colour in svg for colour in MODEL_COLORS.values())
