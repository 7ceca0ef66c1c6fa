"""One look for every figure in the book, and one colour per model
across chapters."""

# Okabe and Ito's colour-blind-safe palette ("Color Universal Design",
# 2008): blue, orange, bluish green and vermillion stay distinct with
# red-green colour blindness, where the usual green and red do not.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
MODEL_COLORS = {
    "bert": OKABE_ITO["blue"],
    "roberta": OKABE_ITO["orange"],
    "albert": OKABE_ITO["bluish green"],
    "distilbert": OKABE_ITO["vermillion"],
}


def sharp_figures():
    """Figures shown in a notebook are stored as PNG at twice their
    pixels, tagged with their size ("retina"), so they stay sharp on
    high-resolution screens (phones, laptops) in Jupyter, Colab and the
    book. PNG rather than SVG: strict nbval compares SVG as text, and an
    SVG of a timing chart would change at every run. Does nothing
    outside IPython (scripts, tests). `setup()` and `use_course_style()`
    call it."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    if get_ipython() is None:
        return False
    try:
        from matplotlib_inline.backend_inline import (
            set_matplotlib_formats,
        )
    except ImportError:  # no inline backend: nothing to set
        return False

    set_matplotlib_formats("retina")
    return True


def use_course_style():
    import matplotlib

    matplotlib.rcParams.update(
        {
            "figure.figsize": (6.4, 3.6),
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 10,
            # lines and bars without an explicit colour use the same
            # palette
            "axes.prop_cycle": matplotlib.cycler(
                color=list(MODEL_COLORS.values())
                + [OKABE_ITO["reddish purple"], OKABE_ITO[("sky blue")]]
            ),
        }
    )
    sharp_figures()
