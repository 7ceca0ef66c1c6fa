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
