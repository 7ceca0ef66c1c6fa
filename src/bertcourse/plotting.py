"""One look for every figure in the book, and one colour per model across chapters."""

MODEL_COLORS = {"bert": "#4C72B0", "roberta": "#DD8452", "albert": "#55A868", "distilbert": "#C44E52"}


def use_course_style():
    import matplotlib

    matplotlib.rcParams.update({
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 100,
        "savefig.bbox": "tight",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.size": 10,
    })
