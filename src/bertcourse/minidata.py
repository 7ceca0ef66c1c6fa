"""Offline mini datasets in the schemas of the hub datasets the course
uses.

The real datasets (``nyu-mll/glue`` sst2, ``eriktks/conll2003``,
``rajpurkar/squad``) cannot be downloaded on the course's CI machines.
These generators build small stand-ins with exactly the same columns,
feature types and label names, so that code written against the mini
sets runs unchanged on the real ones.

Everything is made from templates and word lists written for the course
(no text is copied from the real datasets). Generation is deterministic:
the same seed gives byte-identical data; every function uses its own
``random.Random(seed)``. The sets are easier than the real data: never
report results on them as results on SST-2, CoNLL-2003 or SQuAD.
"""

from __future__ import annotations

import random
import string

from datasets import (
    ClassLabel,
    Dataset,
    DatasetDict,
    Features,
    List,
    Value,
)

__all__ = [
    "CHUNK_LABELS",
    "DATASHEET",
    "NER_LABELS",
    "POS_LABELS",
    "SST2_LABELS",
    "conll2003",
    "documents",
    "squad",
    "sst2",
]

SIZES = {
    "sst2": {"train": 1000, "validation": 250, "test": 250},
    "conll2003": {"train": 800, "validation": 200, "test": 200},
    "squad": {"train": 800, "validation": 200},
    "documents": {"documents": 400},
}

# ---------------------------------------------------------------- SST-2
SST2_LABELS = ["negative", "positive"]

# Words that carry sentiment. Negation and contrast templates put them
# in both classes, so a bag-of-words lookup is not enough for every
# sentence.
POS_ADJ = (
    "good great superb charming moving funny brilliant delightful "
    "engaging gripping beautiful clever touching witty wonderful fresh "
    "thoughtful smart hilarious powerful memorable affecting warm "
    "stunning entertaining inventive heartfelt rewarding"
).split()
NEG_ADJ = (
    "bad dull boring tedious clumsy lifeless predictable awful "
    "pointless flat stale shallow tiresome incoherent bland "
    "forgettable mediocre painful silly sloppy lazy unfunny messy weak "
    "terrible dreary"
).split()
# Held out of train: only validation and test use them. A pretrained
# model knows that "masterful" is positive without seeing it in
# fine-tuning; a model trained from scratch does not, which the course
# can show.
POS_ADJ_HELD_OUT = (
    "masterful enchanting riveting splendid exhilarating magnificent "
    "excellent"
).split()
NEG_ADJ_HELD_OUT = (
    "atrocious dreadful insufferable abysmal laughable monotonous "
    "unwatchable"
).split()
INTENSIFIERS = [
    "",
    "",
    "very",
    "truly",
    "remarkably",
    "utterly",
    "surprisingly",
    "consistently",
    "genuinely",
    "thoroughly",
    "rather",
    "often",
    "mostly",
]
# Neutral topic words, shared by both classes.
SUBJECTS = [
    "the film",
    "the movie",
    "the plot",
    "the script",
    "the acting",
    "the dialogue",
    "the direction",
    "the soundtrack",
    "the ending",
    "the story",
    "the camera work",
    "the pacing",
    "the humor",
    "this picture",
    "the lead performance",
    "the second half",
    "the premise",
    "the editing",
    "the screenplay",
    "the final act",
    "the romance",
    "the villain",
    "the score",
    "the opening scene",
]
GENRES = [
    "comedy",
    "drama",
    "thriller",
    "documentary",
    "romance",
    "picture",
    "film",
    "movie",
    "story",
    "debut",
    "western",
    "musical",
    "satire",
    "melodrama",
    "mystery",
    "fable",
]
TOPICS = [
    "about a family reunion",
    "about growing up in a small town",
    "about two brothers",
    "about a lonely detective",
    "about love and loss",
    "set in 1970s paris",
    "about a musician on the road",
    "about a failing restaurant",
    "about first love",
    "about an aging boxer",
    "about a stolen painting",
    "set on a fishing boat",
    "about a summer camp",
    "about a divorce",
    "about a chess prodigy",
    "about old friends",
]
POS_VP = [
    "loved every minute of it",
    "will keep you on the edge of your seat",
    "rewards patient viewers",
    "earns its emotional moments",
    "leaves you smiling",
    "grabs you from the first scene",
    "deserves a wide audience",
    "never loses its nerve",
    "makes you care about its characters",
    "lingers long after the credits",
    "finds real beauty in small moments",
    "delivers on every promise",
]
NEG_VP = [
    "wastes its talented cast",
    "falls apart in the last act",
    "overstays its welcome",
    "never finds its footing",
    "drags on far too long",
    "leaves you checking your watch",
    "feels like a rerun",
    "sinks under its own weight",
    "squanders a good idea",
    "forgets to be funny",
    "runs out of ideas early",
    "insults the audience",
]
NEG_CUE = ["not", "hardly", "never", "not at all", "far from"]
# Viewers' reactions, verbs with and without negation, and nouns as
# verdicts: wording that carries sentiment without an adjective from the
# lists above.
VIEWERS = [
    "i",
    "we",
    "my friends",
    "the whole family",
    "my sister",
    "half the room",
    "the critics",
    "everyone around me",
]
REACTIONS = {
    1: [
        "laughed out loud more than once",
        "smiled all the way home",
        "talked about it for days",
        "wanted to watch it again right away",
        "forgot to check the time",
        "stayed for every last credit",
        "cried in the best possible way",
        "applauded when the lights came up",
    ],
    0: [
        "nearly fell asleep",
        "lost interest halfway through",
        "kept looking at the exit",
        "forgot it by the next morning",
        "felt cheated by the ending",
        "groaned at every twist",
        "asked for a refund",
        "checked the time again and again",
    ],
}
# (third person, base form) of verbs that praise (1) or pan (0) when not
# negated.
VERBS = {
    1: [
        ("works", "work"),
        ("holds together", "hold together"),
        ("makes sense", "make sense"),
        ("lands its jokes", "land its jokes"),
        ("earns its ending", "earn its ending"),
        ("comes alive", "come alive"),
        ("surprises", "surprise"),
    ],
    0: [
        ("drags", "drag"),
        ("loses its way", "lose its way"),
        ("feels rushed", "feel rushed"),
        ("wastes a minute", "waste a minute"),
        ("repeats itself", "repeat itself"),
        ("talks down to us", "talk down to us"),
        ("goes anywhere new", "go anywhere new"),
    ],
}
NOUNS = {
    1: [
        "gem",
        "treat",
        "delight",
        "joy",
        "knockout",
        "winner",
        "marvel",
        "crowd-pleaser",
    ],
    0: [
        "slog",
        "letdown",
        "dud",
        "misfire",
        "bore",
        "flop",
        "snooze",
        "write-off",
    ],
}
SUPERL = {
    1: ["best", "most enjoyable", "finest", "smartest"],
    0: ["worst", "most tedious", "dullest", "least convincing"],
}


def _adj(rng, positive, unseen):
    """A sentiment adjective; with probability ``unseen`` one that train
    never uses."""
    if rng.random() < unseen:
        return rng.choice(
            POS_ADJ_HELD_OUT if positive else NEG_ADJ_HELD_OUT
        )
    return rng.choice(POS_ADJ if positive else NEG_ADJ)


def _clause(rng, label, unseen, avoid=None):
    """A short clause with polarity ``label``; sometimes a negated
    opposite adjective."""
    subj = rng.choice(
        [s for s in SUBJECTS if avoid is None or s not in avoid]
    )
    # negation flips the adjective: "not good" is negative
    if rng.random() < 0.25:
        return (
            f"{subj} is {rng.choice(NEG_CUE)} "
            f"{_adj(rng, not label, unseen)}"
        )
    intensifier = rng.choice(INTENSIFIERS)
    adjective = _adj(rng, label, unseen)
    return f"{subj} is {intensifier} {adjective}".replace("  ", " ")


def _sst2_sentence(rng, label, unseen):
    kind = rng.randrange(13)
    # a reaction: "my sister laughed out loud more than once"
    if kind == 9:
        return f"{rng.choice(VIEWERS)} {rng.choice(REACTIONS[label])}"
    # a verb, negated half of the time: "the plot never drags" is
    # positive
    if kind == 10:
        subj = rng.choice(SUBJECTS)
        if rng.random() < 0.5:
            return f"{subj} {rng.choice(VERBS[label])[0]}"
        cue = rng.choice(
            ["never {0}", "does n't {1}", "does not {1}", "rarely {0}"]
        )
        return f"{subj} {cue.format(*rng.choice(VERBS[1 - label]))}"
    if kind == 11:  # a noun as the verdict
        noun = rng.choice(NOUNS[label])
        art = "an" if noun[0] in "aeiou" else "a"
        return rng.choice(
            [
                f"{rng.choice(SUBJECTS)} is {art} real {noun}",
                f"{art} {noun} of a {rng.choice(GENRES)}",
                (
                    f"this {rng.choice(GENRES)} "
                    f"{rng.choice(TOPICS)} is {art} {noun}"
                ),
            ]
        )
    if kind == 12:  # contrast with yet / though
        other = _clause(rng, 1 - label, unseen)
        main = _clause(rng, label, unseen, avoid=other)
        return (
            f"{other} , yet {main}"
            if rng.random() < 0.5
            else f"{main} , though {other}"
        )
    if kind == 0:
        return _clause(rng, label, unseen)
    if kind == 1:  # "a charming comedy about two brothers"
        intensifier = rng.choice(INTENSIFIERS)
        words = f"{intensifier} {_adj(rng, label, unseen)}".strip()
        art = "an" if words[0] in "aeiou" else "a"
        lead = rng.choice(["", "", "it 's ", "what "])
        return (
            f"{lead}{art} {words} {rng.choice(GENRES)} "
            f"{rng.choice(TOPICS)}"
        )
    if kind == 2:
        return (
            f"{rng.choice(SUBJECTS)} "
            f"{rng.choice(POS_VP if label else NEG_VP)}"
        )
    # contrast: the main clause decides, the other has the opposite
    # polarity
    if kind in (3, 4, 5):
        other = _clause(rng, 1 - label, unseen)
        main = _clause(rng, label, unseen, avoid=other)
        if kind == 3:
            return f"{other} , but {main}"
        if kind == 4:
            return f"although {other} , {main}"
        return f"{main} , even if {other}"
    if kind == 6:
        return (
            f"one of the {rng.choice(SUPERL[label])} "
            f"{rng.choice(GENRES)}s of the year"
        )
    if kind == 7:  # negated adjective after a neutral noun phrase
        adj = _adj(rng, not label, unseen)
        return (
            f"this {rng.choice(GENRES)} {rng.choice(TOPICS)} is "
            f"{rng.choice(NEG_CUE)} {adj}"
        )
    adjs = []
    while len(adjs) < 3:  # three different adjectives
        adj = _adj(rng, label, unseen)
        adjs += [adj] if adj not in adjs else []
    return (
        f"{adjs[0]} , {adjs[1]} and "
        f"{rng.choice(INTENSIFIERS) or 'quite'} {adjs[2]}"
    )


def sst2(seed: int = 0) -> DatasetDict:
    """GLUE SST-2 look-alike: ``sentence``, ``label``
    (negative/positive), ``idx``."""
    rng = random.Random(seed)
    features = Features(
        {
            "sentence": Value("string"),
            "label": ClassLabel(names=SST2_LABELS),
            "idx": Value("int32"),
        }
    )
    seen, splits = set(), {}
    for split, n in SIZES["sst2"].items():
        labels = [i % 2 for i in range(n)]  # balanced, then shuffled
        rng.shuffle(labels)
        rows = {"sentence": [], "label": [], "idx": []}
        # share of held-out adjectives
        unseen = 0.0 if split == "train" else 0.2
        for i, label in enumerate(labels):
            s = _sst2_sentence(rng, label, unseen)
            while s in seen:  # no duplicates, within or across splits
                s = _sst2_sentence(rng, label, unseen)
            seen.add(s)
            # GLUE's sentences end with a space
            rows["sentence"].append(s + " ")
            rows["label"].append(-1 if split == "test" else label)
            rows["idx"].append(i)
        splits[split] = Dataset.from_dict(rows, features=features)
    return DatasetDict(splits)


# ----------------------------------------------------------- CoNLL-2003
NER_LABELS = [
    "O",
    "B-PER",
    "I-PER",
    "B-ORG",
    "I-ORG",
    "B-LOC",
    "I-LOC",
    "B-MISC",
    "I-MISC",
]
POS_LABELS = [
    '"',
    "''",
    "#",
    "$",
    "(",
    ")",
    ",",
    ".",
    ":",
    "``",
    "CC",
    "CD",
    "DT",
    "EX",
    "FW",
    "IN",
    "JJ",
    "JJR",
    "JJS",
    "LS",
    "MD",
    "NN",
    "NNP",
    "NNPS",
    "NNS",
    "NN|SYM",
    "PDT",
    "POS",
    "PRP",
    "PRP$",
    "RB",
    "RBR",
    "RBS",
    "RP",
    "SYM",
    "TO",
    "UH",
    "VB",
    "VBD",
    "VBG",
    "VBN",
    "VBP",
    "VBZ",
    "WDT",
    "WP",
    "WP$",
    "WRB",
]
CHUNK_LABELS = [
    "O",
    "B-ADJP",
    "I-ADJP",
    "B-ADVP",
    "I-ADVP",
    "B-CONJP",
    "I-CONJP",
    "B-INTJ",
    "I-INTJ",
    "B-LST",
    "I-LST",
    "B-NP",
    "I-NP",
    "B-PP",
    "I-PP",
    "B-PRT",
    "I-PRT",
    "B-SBAR",
    "I-SBAR",
    "B-UCP",
    "I-UCP",
    "B-VP",
    "I-VP",
]

# Entity lists: "word/POS word/POS". The last quarter of each list is
# held out of train, so validation and test contain names the model has
# never seen. "Jordan" and "Washington" are both people and places:
# context decides.
FIRST = (
    "Peter Anna Rolf Maria Jan Sofia Karim Elena Tomas Yuki Pedro "
    "Ingrid Omar Lucia Viktor Hana Marek Chloe"
).split()
LAST = (
    "Jordan Washington Brandt Okafor Lindqvist Moreau Tanaka Silva "
    "Novak Haddad Kowalski Petrov Mendes Larsen Costa Fischer Rahman "
    "Dubois Ferreira Nakamura Ivanova Osei"
).split()
ORGS = [
    "Meridian/NNP Bank/NNP",
    "Northgate/NNP Petroleum/NNP",
    "Harlow/NNP Motors/NNPS",
    "Reuters/NNP",
    "European/NNP Commission/NNP",
    "United/NNP Nations/NNPS",
    "NATO/NNP",
    "Union/NNP Pacific/NNP",
    "Corvel/NNP Airlines/NNPS",
    "Baltic/NNP Steel/NNP Corp/NNP",
    "Sentra/NNP Telecom/NNP",
    "Red/NNP Cross/NNP",
    "Olympia/NNP Insurance/NNP",
    "Valdor/NNP Group/NNP",
    "Eastern/NNP Rail/NNP",
    "World/NNP Bank/NNP",
    "Kestrel/NNP Foods/NNPS",
    "Alder/NNP Chemicals/NNPS",
]
LOCS = [
    "Germany/NNP",
    "France/NNP",
    "Jordan/NNP",
    "Washington/NNP",
    "New/NNP York/NNP",
    "Sri/NNP Lanka/NNP",
    "Brazil/NNP",
    "Bosnia/NNP",
    "London/NNP",
    "Moscow/NNP",
    "South/NNP Africa/NNP",
    "Tokyo/NNP",
    "Buenos/NNP Aires/NNP",
    "Poland/NNP",
    "Kenya/NNP",
    "Hong/NNP Kong/NNP",
    "Chile/NNP",
    "Norway/NNP",
    "Lisbon/NNP",
    "New/NNP Zealand/NNP",
    "Egypt/NNP",
    "Vietnam/NNP",
    "Cape/NNP Town/NNP",
    "Oslo/NNP",
]
# Clubs are ORG even when their name holds a place ("Dynamo Moscow").
CLUBS = [
    "Arsenal/NNP",
    "Ajax/NNP",
    "Dynamo/NNP Moscow/NNP",
    "Celtic/NNP",
    "Red/NNP Star/NNP",
    "Sporting/NNP Lisbon/NNP",
    "Riverside/NNP United/NNP",
    "Porto/NNP Athletic/NNP",
]
NATS = [
    "German/JJ",
    "British/JJ",
    "French/JJ",
    "Russian/JJ",
    "Brazilian/JJ",
    "Japanese/JJ",
    "Polish/JJ",
    "Kenyan/JJ",
    "Chilean/JJ",
    "Norwegian/JJ",
    "Egyptian/JJ",
    "Dutch/JJ",
]
EVENTS = [
    "World/NNP Cup/NNP",
    "Australian/NNP Open/NNP",
    "Asian/NNP Cup/NNP",
    "Olympic/NNP Games/NNPS",
    "Davis/NNP Cup/NNP",
    "Tour/NNP de/FW France/NNP",
    "Grand/NNP Prix/NNP",
    "Nordic/NNP Championships/NNPS",
]
DAYS = (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
MONTHS = (
    "January February March April May June July August September "
    "October November December"
).split()

# Templates: "[NP ... ]" is a chunk (first token B-, the rest I-),
# tokens outside brackets are O. A token is "word/POS"; {PER} {ORG}
# {CLUB} {LOC} {NAT} {EVENT} are entities (CLUB is ORG; NAT and EVENT
# are MISC); {NUM} {SCORE} {DAY} {MONTH} {DATE} {UPLOC} are filled with
# non-entities (UPLOC: an upper-case LOC in a dateline).
CONLL_TEMPLATES = [
    (
        "[NP {ORG} ] [VP rejects/VBZ ] [NP {NAT} call/NN ] [VP to/TO "
        "boycott/VB ] [NP {NAT} lamb/NN ] ./."
    ),
    (
        "[NP {PER} ] [VP said/VBD ] [PP on/IN ] [NP {DAY} ] [SBAR "
        "that/IN ] [NP the/DT government/NN ] [VP would/MD not/RB "
        "change/VB ] [NP its/PRP$ policy/NN ] ./."
    ),
    (
        "[NP {PER} ] ,/, [NP a/DT spokesman/NN ] [PP for/IN ] [NP "
        "{ORG} ] ,/, [VP told/VBD ] [NP reporters/NNS ] [NP the/DT "
        "talks/NNS ] [VP had/VBD ended/VBN ] ./."
    ),
    (
        "[NP {LOC} ] [VP beat/VBD ] [NP {LOC} ] [NP {SCORE} ] [PP "
        "in/IN ] [NP the/DT {EVENT} qualifier/NN ] [PP on/IN ] [NP "
        "{DAY} ] ./."
    ),
    (
        "[NP {CLUB} ] [VP beat/VBD ] [NP {CLUB} ] [NP {SCORE} ] [PP "
        "in/IN ] [NP the/DT {NAT} league/NN ] ./."
    ),
    (
        "[NP Police/NNS ] [PP in/IN ] [NP {LOC} ] [VP arrested/VBD ] "
        "[NP {NUM} people/NNS ] [PP after/IN ] [NP the/DT protest/NN ] "
        ",/, [NP a/DT {NAT} official/NN ] [VP said/VBD ] ./."
    ),
    (
        "[NP {PER} ] [VP will/MD visit/VB ] [NP {LOC} ] [NP next/JJ "
        "week/NN ] [VP to/TO discuss/VB ] [NP trade/NN ] [PP with/IN ] "
        "[NP {NAT} leaders/NNS ] ./."
    ),
    (
        "[NP Shares/NNS ] [PP in/IN ] [NP {ORG} ] [VP rose/VBD ] [NP "
        "{NUM} percent/NN ] [PP in/IN ] [NP {LOC} ] [PP on/IN ] [NP "
        "{DAY} ] ./."
    ),
    (
        "[NP {ORG} ] [VP said/VBD ] [NP it/PRP ] [VP would/MD buy/VB ] "
        "[NP {ORG} ] [PP for/IN ] [NP $/$ {NUM} million/CD ] ./."
    ),
    (
        "[NP {PER} ] [PP of/IN ] [NP {LOC} ] [VP won/VBD ] [NP the/DT "
        "{EVENT} ] [PP on/IN ] [NP {DAY} ] ./."
    ),
    (
        "[NP {NAT} Prime/NNP Minister/NNP {PER} ] [VP arrived/VBD ] "
        "[PP in/IN ] [NP {LOC} ] [PP for/IN ] [NP talks/NNS ] ./."
    ),
    (
        "[NP {PER} ] [VP told/VBD ] [NP the/DT {NAT} news/NN agency/NN "
        "{ORG} ] [SBAR that/IN ] [NP he/PRP ] [VP expected/VBD ] [NP "
        "a/DT deal/NN ] [PP by/IN ] [NP {MONTH} ] ./."
    ),
    (
        "[NP {LOC} ] [VP has/VBZ denied/VBN ] [NP reports/NNS ] [SBAR "
        "that/IN ] [NP its/PRP$ troops/NNS ] [VP crossed/VBD ] [PP "
        "into/IN ] [NP {LOC} ] ./."
    ),
    (
        "[NP {ORG} ] [VP named/VBD ] [NP {PER} ] [PP as/IN ] [NP "
        "its/PRP$ new/JJ chief/JJ executive/NN ] ./."
    ),
    "[NP {UPLOC} {DATE} ]",
    (
        "[NP {PER} ] ,/, [NP who/WP ] [VP plays/VBZ ] [PP for/IN ] [NP "
        "{CLUB} ] ,/, [VP scored/VBD ] [ADVP twice/RB ] [PP against/IN "
        "] [NP {CLUB} ] ./."
    ),
    (
        "[NP The/DT {ORG} ] [VP said/VBD ] [NP exports/NNS ] [PP to/IN "
        "] [NP {LOC} ] [VP fell/VBD ] [NP {NUM} percent/NN ] [PP in/IN "
        "] [NP {MONTH} ] ./."
    ),
    (
        "[NP {PER} ] [VP flew/VBD ] [PP to/IN ] [NP {LOC} ] [PP on/IN "
        "] [NP {DAY} ] [VP to/TO meet/VB ] [NP {NAT} Foreign/NNP "
        "Minister/NNP {PER} ] ./."
    ),
    (
        "[NP {NAT} troops/NNS ] [VP entered/VBD ] [NP {LOC} ] [PP "
        "after/IN ] [NP {NUM} days/NNS ] [PP of/IN ] [NP fighting/NN ] "
        ",/, [NP {ORG} ] [VP reported/VBD ] ./."
    ),
    (
        "[NP {PER} ] [VP beat/VBD ] [NP {PER} ] [NP {SCORE} {SCORE} ] "
        "[PP in/IN ] [NP the/DT first/JJ round/NN ] [PP of/IN ] [NP "
        "the/DT {EVENT} ] ./."
    ),
    (
        "[NP {ORG} ] [VP reported/VBD ] [NP a/DT net/JJ profit/NN ] "
        "[PP of/IN ] [NP {NUM} million/CD {NAT} marks/NNS ] ./."
    ),
    (
        "[NP The/DT {EVENT} ] [VP will/MD be/VB held/VBN ] [PP in/IN ] "
        "[NP {LOC} ] [PP in/IN ] [NP {MONTH} ] ,/, [NP organisers/NNS "
        "] [VP said/VBD ] ./."
    ),
    (
        "``/`` [NP We/PRP ] [VP are/VBP ] [ADJP very/RB happy/JJ ] ,/, "
        "''/'' [NP {PER} ] [VP told/VBD ] [NP {ORG} ] ./."
    ),
    (
        "[NP {PER} ] [PP from/IN ] [NP {LOC} ] [VP joined/VBD ] [NP "
        "{ORG} ] [PP in/IN ] [NP {MONTH} ] ./."
    ),
]


def _entity(rng, kind, held_out):
    """Return [(token, pos, ner)] for one entity; held_out=None means
    train names only."""

    def pick(items):
        # the last quarter never appears in train
        cut = len(items) * 3 // 4
        if held_out is None:
            return rng.choice(items[:cut])
        return rng.choice(
            items[cut:] if rng.random() < held_out else items
        )

    if kind == "PER":
        names = (
            [pick(LAST)]
            if rng.random() < 0.3
            else [pick(FIRST), pick(LAST)]
        )
        words = [(w, "NNP") for w in names]
    else:
        lists = {
            "ORG": ORGS,
            "CLUB": CLUBS,
            "LOC": LOCS,
            "NAT": NATS,
            "EVENT": EVENTS,
        }
        words = [
            tuple(t.rsplit("/", 1)) for t in pick(lists[kind]).split()
        ]
    tag = {"NAT": "MISC", "EVENT": "MISC", "CLUB": "ORG"}.get(
        kind, kind
    )
    return [
        (w, p, ("B-" if i == 0 else "I-") + tag)
        for i, (w, p) in enumerate(words)
    ]


def _filler(rng, kind, held_out):
    """Non-entity slots (and the upper-case dateline place, which is a
    LOC)."""
    if kind == "NUM":
        return [
            (
                str(
                    rng.choice(
                        [2, 3, 4, 5, 7, 12, 15, 20, 35, 40, 120, 250]
                    )
                ),
                "CD",
                "O",
            )
        ]
    if kind == "SCORE":
        return [(f"{rng.randint(0, 6)}-{rng.randint(0, 6)}", "CD", "O")]
    if kind == "DAY":
        return [(rng.choice(DAYS), "NNP", "O")]
    if kind == "MONTH":
        return [(rng.choice(MONTHS), "NNP", "O")]
    if kind == "DATE":
        return [
            (
                (
                    f"1996-{rng.randint(1, 12):02d}-"
                    f"{rng.randint(1, 28):02d}"
                ),
                "CD",
                "O",
            )
        ]
    # UPLOC
    return [
        (w.upper(), p, n) for w, p, n in _entity(rng, "LOC", held_out)
    ]


def _conll_sentence(rng, template, held_out):
    tokens, pos, chunk, ner = [], [], [], []
    chunk_type, first = None, False
    for item in template.split():
        if item.startswith("["):
            chunk_type, first = item[1:], True
            continue
        if item == "]":
            chunk_type = None
            continue
        if item.startswith("{"):
            kind = item[1:-1]
            if kind in ("PER", "ORG", "CLUB", "LOC", "NAT", "EVENT"):
                words = _entity(rng, kind, held_out)
            else:
                words = _filler(rng, kind, held_out)
        else:
            w, p = item.rsplit("/", 1)
            words = [(w, p, "O")]
        for w, p, n in words:
            tokens.append(w)
            pos.append(p)
            ner.append(n)
            chunk.append(
                "O"
                if chunk_type is None
                else ("B-" if first else "I-") + chunk_type
            )
            first = False
    return tokens, pos, chunk, ner


def conll2003(seed: int = 0) -> DatasetDict:
    """CoNLL-2003 look-alike with the real label names and order (IOB2
    NER tags)."""
    rng = random.Random(seed)
    features = Features(
        {
            "id": Value("string"),
            "tokens": List(Value("string")),
            "pos_tags": List(ClassLabel(names=POS_LABELS)),
            "chunk_tags": List(ClassLabel(names=CHUNK_LABELS)),
            "ner_tags": List(ClassLabel(names=NER_LABELS)),
        }
    )
    seen, splits = set(), {}
    for split, n in SIZES["conll2003"].items():
        # many names unseen in train
        held_out = None if split == "train" else 0.3
        rows = {k: [] for k in features}
        while len(rows["id"]) < n:
            tokens, pos, chunk, ner = _conll_sentence(
                rng, rng.choice(CONLL_TEMPLATES), held_out
            )
            if tuple(tokens) in seen:
                continue
            seen.add(tuple(tokens))
            rows["id"].append(str(len(rows["id"])))
            rows["tokens"].append(tokens)
            rows["pos_tags"].append([POS_LABELS.index(t) for t in pos])
            rows["chunk_tags"].append(
                [CHUNK_LABELS.index(t) for t in chunk]
            )
            rows["ner_tags"].append([NER_LABELS.index(t) for t in ner])
        splits[split] = Dataset.from_dict(rows, features=features)
    return DatasetDict(splits)


# ---------------------------------------------------------------- SQuAD
# Fictional names are built from syllables, so every context is about a
# new thing.
SYLLABLES = (
    "ka ve lor min dra sel tor qua ni bel mar ost ren zu fal dor vin "
    "ar el to sa"
).split()
GIVEN = (
    "Mara Ilse Amara Noor Lea Rosa Ada Tobias Jonas Felix Henrik "
    "Caspar Emil Soren"
).split()
# so that "she"/"he" agrees with the person's given name
FEMALE = set(GIVEN[:7])
COUNTRIES = [
    "Norland",
    "Estavia",
    "Corvania",
    "Belmora",
    "Quessa",
    "Tarvik",
    "Ostrelle",
]
INDUSTRIES = [
    "shipbuilding",
    "textiles",
    "glassmaking",
    "software",
    "coffee roasting",
    "mining",
]
PRODUCTS = [
    "solar-powered water pumps",
    "folding bicycles",
    "hearing aids",
    "weather balloons",
    "electric ferries",
    "cast-iron stoves",
    "ceramic filters",
    "tide clocks",
]
SUBJECTS_STUDY = [
    "chemistry",
    "mathematics",
    "architecture",
    "botany",
    "astronomy",
    "medicine",
]
PRIZES = [
    "Halden Medal",
    "Order of the Lantern",
    "Vesta Prize",
    "Golden Compass Award",
]
WORKS = [
    "a theory of crystal growth",
    "the first map of the northern glaciers",
    "a bridge made of woven steel",
    "a vaccine against river fever",
    "a cheap water filter",
]
ORIGINS = [
    "fishing village",
    "river port",
    "military fort",
    "railway junction",
    "market town",
]
MECHANISMS = [
    "a pair of copper coils",
    "compressed air",
    "a spinning glass disc",
    "salt water",
]
PURPOSES = [
    "measure wind speed",
    "keep food cold",
    "send messages over long distances",
    "purify drinking water",
    "detect earthquakes",
]

# Each kind: paragraph sentences (some optional, so contexts have 3-6
# sentences) and, per fact, question wordings. A fact value is (text,
# [shorter variants]).
SQUAD_KINDS = {
    "company": (
        [
            (
                "{name} is a {industry} company based in {city}, "
                "{country}."
            ),
            "It was founded in {year} by {founder}.",
            "The company is best known for its {product}.",
            "By {year2} it employed {employees} people.",
            "Its headquarters stand on {street}.",
        ],
        {
            "founder": [
                "Who founded {name}?",
                "Who was the founder of {name}?",
            ],
            "year": [
                "When was {name} founded?",
                "In what year was {name} founded?",
            ],
            "city": [
                "In which city is {name} based?",
                "Where is {name} based?",
            ],
            "product": [
                "What is {name} best known for?",
                "What product made {name} famous?",
            ],
            "employees": [
                "How many people did {name} employ by {year2}?"
            ],
            "street": [
                "On what street are the headquarters of {name}?"
            ],
        },
    ),
    "city": (
        [
            "{name} is a city in the {region} region of {country}.",
            "It was established in {year} as a {origin}.",
            "The city has a population of {population}.",
            "Its main industry is {industry}.",
            "The {river} River runs through the centre of the city.",
        ],
        {
            "country": [
                "In which country is {name}?",
                "What country is {name} in?",
            ],
            "year": [
                "When was {name} established?",
                "In what year was {name} founded?",
            ],
            "population": [
                "What is the population of {name}?",
                "How many people live in {name}?",
            ],
            "industry": ["What is the main industry of {name}?"],
            "river": [
                "Which river runs through {name}?",
                "What river flows through {name}?",
            ],
            "origin": ["What was {name} when it was established?"],
        },
    ),
    "person": (
        [
            "{name} was a scientist and engineer from {country}.",
            (
                "Born in {city} in {year}, {pron} studied {study} at "
                "the University of {uni}."
            ),
            "{Pron} is best remembered for {work}.",
            "In {year2} {pron} received the {prize}.",
            "{Pron} spent {pron2} last years teaching in {city2}.",
        ],
        {
            "country": ["Which country was {name} from?"],
            "city": [
                "Where was {name} born?",
                "In which city was {name} born?",
            ],
            "year": [
                "When was {name} born?",
                "In what year was {name} born?",
            ],
            "study": [
                "What did {name} study?",
                "Which subject did {name} study at university?",
            ],
            "uni": ["At which university did {name} study?"],
            "work": ["What is {name} best remembered for?"],
            "prize": ["What award did {name} receive in {year2}?"],
            "year2": ["When did {name} receive the {prize}?"],
        },
    ),
    "invention": (
        [
            "The {name} is a device invented by {founder} in {year}.",
            "It was first demonstrated in {city}.",
            "The device uses {mechanism} to {purpose}.",
            "Early models weighed about {weight}.",
            "By {year2} more than {employees} had been sold.",
        ],
        {
            "founder": [
                "Who invented the {name}?",
                "Who was the inventor of the {name}?",
            ],
            "year": [
                "When was the {name} invented?",
                "In what year was the {name} invented?",
            ],
            "city": ["Where was the {name} first demonstrated?"],
            "mechanism": ["What does the {name} use to {purpose}?"],
            "weight": [
                "How much did early models of the {name} weigh?"
            ],
            "employees": ["How many {name}s had been sold by {year2}?"],
        },
    ),
}


def _word(rng, n=(2, 3)):
    return "".join(
        rng.choice(SYLLABLES) for _ in range(rng.randint(*n))
    ).capitalize()


def _facts(rng, name):
    """Fact values as (text, variants); variants are substrings of
    text."""
    first, last = rng.choice(GIVEN), _word(rng)
    pron = (
        ("she", "her") if name.split()[0] in FEMALE else ("he", "his")
    )
    country = rng.choice(COUNTRIES)
    y = rng.randint(1780, 1960)
    return {
        "name": (name, []),
        "industry": (rng.choice(INDUSTRIES), []),
        "city": (_word(rng), []),
        "city2": (_word(rng), []),
        "country": (country, []),
        "year": (str(y), []),
        "year2": (str(y + rng.randint(5, 40)), []),
        "founder": (f"{first} {last}", [last]),
        "product": (rng.choice(PRODUCTS), []),
        "employees": (f"{rng.randint(2, 90) * 100:,}", []),
        "street": (f"{_word(rng)} Street", []),
        "region": (_word(rng), []),
        "origin": (rng.choice(ORIGINS), []),
        "population": (
            f"about {rng.randint(5, 900) * 1000:,} people",
            [],
        ),
        "river": (_word(rng), []),
        "study": (rng.choice(SUBJECTS_STUDY), []),
        "uni": (_word(rng), []),
        "work": (rng.choice(WORKS), []),
        "prize": (rng.choice(PRIZES), []),
        "mechanism": (rng.choice(MECHANISMS), []),
        "purpose": (rng.choice(PURPOSES), []),
        "weight": (f"{rng.randint(2, 40)} kilograms", []),
        "pron": (pron[0], []),
        "Pron": (pron[0].capitalize(), []),
        "pron2": (pron[1], []),
    }


def _add_variants(facts):
    # Shorter spans a second annotator might mark, like SQuAD dev's
    # extra answers.
    pop = facts["population"][0]
    facts["population"] = (
        pop,
        [pop[len("about ") :], pop[len("about ") : -len(" people")]],
    )
    facts["weight"] = (
        facts["weight"][0],
        [facts["weight"][0].split()[0]],
    )
    facts["street"] = (
        facts["street"][0],
        [facts["street"][0].split()[0]],
    )
    facts["product"] = (
        facts["product"][0],
        [" ".join(facts["product"][0].split()[-2:])],
    )


def _squad_context(rng, kind, name):
    sentences, questions = SQUAD_KINDS[kind]
    facts = _facts(rng, name)
    _add_variants(facts)
    # 3-5 sentences
    keep = [0, 1, 2] + sorted(rng.sample([3, 4], rng.randint(0, 2)))
    # spans: fact -> start offset of its first mention
    context, spans = "", {}
    for i in keep:
        if context:
            context += " "
        for literal, field, _, _ in string.Formatter().parse(
            sentences[i]
        ):
            context += literal
            if field:
                spans.setdefault(field, len(context))
                context += facts[field][0]
    qs = [
        (f, q)
        for f, q in questions.items()
        if f in spans and f != "name"
    ]
    plain = {k: v[0] for k, v in facts.items()}
    return context, facts, spans, qs, plain


def squad(seed: int = 0) -> DatasetDict:
    """SQuAD v1.1 look-alike: every answer is an exact span of its
    context."""
    rng = random.Random(seed)
    features = Features(
        {
            "id": Value("string"),
            "title": Value("string"),
            "context": Value("string"),
            "question": Value("string"),
            "answers": {
                "text": List(Value("string")),
                "answer_start": List(Value("int32")),
            },
        }
    )
    used_names, splits = set(), {}
    for split, n in SIZES["squad"].items():
        rows = {k: [] for k in features}
        while len(rows["id"]) < n:
            kind = rng.choice(sorted(SQUAD_KINDS))
            name = (
                _word(rng, (2, 4))
                if kind != "person"
                else f"{rng.choice(GIVEN)} {_word(rng)}"
            )
            if kind == "invention":
                name = name.lower()
            # a new name per context: no context is in two splits
            if name in used_names:
                continue
            used_names.add(name)
            context, facts, spans, qs, plain = _squad_context(
                rng, kind, name
            )
            for field, wordings in rng.sample(
                qs, min(len(qs), rng.randint(3, 5))
            ):
                if len(rows["id"]) == n:
                    break
                text, variants = facts[field]
                start = spans[field]
                answers = [(text, start)]
                # up to 3 answers, like SQuAD dev
                if split == "validation":
                    for _ in range(rng.randint(0, 2)):
                        v = rng.choice([text] + variants)
                        answers.append((v, start + text.index(v)))
                rows["id"].append(f"{rng.getrandbits(96):024x}")
                rows["title"].append(name.replace(" ", "_").title())
                rows["context"].append(context)
                rows["question"].append(
                    rng.choice(wordings).format(**plain)
                )
                rows["answers"].append(
                    {
                        "text": [a[0] for a in answers],
                        "answer_start": [a[1] for a in answers],
                    }
                )
        splits[split] = Dataset.from_dict(rows, features=features)
    return DatasetDict(splits)


# ------------------------------------------------------------ documents
# Eight clearly different topics. Each document has one recurring
# subject; the first sentence introduces it, so sentences from another
# document stand out.
TOPIC_SUBJECTS = {
    "sport": [
        "the Riverside Rovers",
        "the city marathon team",
        "the national rugby side",
        "the Harbour Hawks",
        "the school hockey team",
        "the veteran tennis champion",
    ],
    "cooking": [
        "the lemon tart",
        "the slow-cooked bean stew",
        "the family bread recipe",
        "the spicy noodle soup",
        "the mushroom risotto",
        "the apple pie",
    ],
    "astronomy": [
        "the comet",
        "the red dwarf star",
        "the new telescope",
        "the ringed planet",
        "the spiral galaxy",
        "the meteor shower",
    ],
    "finance": [
        "the regional bank",
        "the pension fund",
        "the small business loan",
        "the bond market",
        "the insurance company",
        "the stock exchange",
    ],
    "gardening": [
        "the vegetable garden",
        "the rose bed",
        "the apple orchard",
        "the herb patch",
        "the greenhouse",
        "the strawberry bed",
    ],
    "music": [
        "the string quartet",
        "the jazz trio",
        "the village choir",
        "the young pianist",
        "the brass band",
        "the folk singer",
    ],
    "medicine": [
        "the new vaccine",
        "the children's clinic",
        "the heart surgery",
        "the flu season",
        "the blood test",
        "the physiotherapy programme",
    ],
    "travel": [
        "the mountain train",
        "the coastal road trip",
        "the old harbour town",
        "the night ferry",
        "the desert safari",
        "the island hostel",
    ],
}
# each topic's lines are in story order; documents keep that order
TOPIC_SENTENCES = {
    "sport": """This season everyone is talking about {s}.
Before the first match the coach of {s} promised an attacking style.
The players of {s} trained every morning on the wet pitch.
In the opening game {s} lost heavily to the league champions.
After that defeat the coach of {s} changed the tactics.
A young striker then joined {s} from a rival club.
Injuries later forced {s} to field a very young team.
Even so {s} won five matches in a row.
With those wins {s} climbed to third place in the league.
Fans travelled for hours to watch {s} play in the final.
The stadium was full when {s} finally lifted the trophy.
Next season {s} will need a stronger defence.""",
    "cooking": """Today we are making {s} in a small kitchen.
First gather fresh butter, flour, eggs and a pinch of salt for {s}.
Grandmother always made {s} in a heavy iron pan.
Weigh every ingredient carefully before you start on {s}.
Then warm the spices, which is the secret of {s}.
Now let {s} cook gently for forty minutes.
Keep the heat low and steady while {s} cooks.
When it is ready, taste {s} and adjust the seasoning if needed.
Serve {s} warm with a spoon of yoghurt on top.
You can freeze what is left of {s} for a week.
Many people say {s} tastes even better on the second day.
Next time, try {s} with fresh herbs from the market.""",
    "astronomy": """Tonight astronomers are watching {s}.
Scientists think {s} formed billions of years ago.
Light from {s} takes many years to reach the Earth.
The orbit of {s} was first measured a century ago.
A dark sky far from city lights is best for viewing {s}.
After sunset {s} appears low in the eastern sky.
Through a small telescope {s} shows a faint blue glow.
Over several nights {s} moves slowly against the distant galaxies.
Long exposures of {s} reveal clouds of gas and dust.
Amateur stargazers then shared their sketches of {s} online.
Next month the observatory will publish new data on {s}.
Astronomers hope that data will explain the origin of {s}.""",
    "finance": """Investors are worried about {s} this year.
Last year {s} still reported steady profits.
Then rising inflation made the returns of {s} look weak.
In the last quarter {s} reported higher interest costs.
After that announcement the value of {s} fell sharply.
Many savers moved their deposits away from {s}.
Since then the central bank has watched {s} closely.
A new audit also found errors in the accounts of {s}.
Analysts now expect {s} to cut its lending rates.
Regulators say {s} must keep more capital to cover its risks.
In spring shareholders will vote on the future of {s}.
Until then borrowing through {s} remains expensive.""",
    "gardening": """This spring I started working on {s}.
First I dug plenty of compost into the soil of {s}.
The seeds for {s} came from a neighbour.
In April the first green shoots appeared in {s}.
Soon slugs attacked the young leaves in {s} overnight.
So I built a wooden fence to protect {s} from the rabbits.
In the dry weeks of June I watered {s} every evening.
A layer of mulch kept the soil in {s} moist.
By July bees were visiting {s} every warm afternoon.
In late summer {s} produced a huge harvest.
Before the first frost I pruned {s} carefully.
In autumn {s} lies under a blanket of fallen leaves.""",
    "music": """Last night I went to hear {s}.
For months {s} had rehearsed three evenings a week in the old hall.
Tickets to see {s} sold out within an hour.
The church was full long before {s} appeared.
{S} opened the concert with a slow and quiet piece.
Next {s} performed a piece written by a local composer.
The acoustics of the church suited {s} perfectly.
The melody played by {s} stayed in my head for days.
At the end the audience gave {s} a long standing ovation.
After the encore {s} signed programmes for fans.
The next morning the conductor praised the tone of {s}.
A new album by {s} will be released in the winter.""",
    "medicine": """Doctors have high hopes for {s}.
For years researchers had worked on {s} in the university hospital.
A clinical trial of {s} then involved two thousand volunteers.
Before the trial nurses explained the risks of {s} to every patient.
During the trial {s} required careful monitoring of blood pressure.
The side effects linked to {s} were mild and rare.
Patients treated through {s} recovered more quickly.
Researchers published the results on {s} in a medical journal.
After the publication the health ministry approved funding for {s}.
Family doctors now refer more patients to {s}.
Since then {s} has reduced hospital admissions in the region.
Still, experts warn that {s} is not a cure for everything.""",
    "travel": """Our holiday began with {s}.
We booked {s} early because that is the cheapest way.
The day before we bought the last tickets for {s} at the station.
We packed warm jackets because {s} can be windy.
On the first morning {s} took us past lakes and forests.
A local guide told us old stories about {s}.
At noon we stopped for coffee and cake during {s}.
In the afternoon {s} was crowded with tourists.
The view from {s} at sunset was worth the long journey.
By evening photographs of {s} filled half of my camera.
On the way home we talked about {s} for hours.
We promised to return to {s} next year.""",
}


def documents(seed: int = 0) -> list[list[str]]:
    """400 short documents (4-12 sentences), 50 per topic, for
    pre-training demos."""
    rng = random.Random(seed)
    docs = []
    topics = sorted(TOPIC_SENTENCES)
    for i in range(SIZES["documents"]["documents"]):
        topic = topics[i % len(topics)]
        subj = rng.choice(TOPIC_SUBJECTS[topic])
        lines = TOPIC_SENTENCES[topic].splitlines()
        # The opening line, then 3-11 of the others in story order: the
        # order carries signal, which sentence-order prediction
        # (ALBERT's SOP) needs.
        keep = [0] + sorted(
            rng.sample(
                range(1, len(lines)), rng.randint(3, len(lines) - 1)
            )
        )
        docs.append(
            [
                lines[k].format(s=subj, S=subj[0].upper() + subj[1:])
                for k in keep
            ]
        )
    rng.shuffle(docs)
    return docs


DATASHEET = {
    "sst2": dict(
        SIZES["sst2"],
        features="sentence, label (negative/positive), idx",
        hub_id="nyu-mll/glue (sst2)",
    ),
    "conll2003": dict(
        SIZES["conll2003"],
        features="id, tokens, pos_tags, chunk_tags, ner_tags",
        hub_id="eriktks/conll2003",
    ),
    "squad": dict(
        SIZES["squad"],
        features="id, title, context, question, answers",
        hub_id="rajpurkar/squad",
    ),
    "documents": dict(SIZES["documents"], topics=len(TOPIC_SENTENCES)),
}
