"""A slow, pure-Python reference of misfat's "search" profile.

Written from the written specification of the profile, not from the Rust code, so that
the two can be checked against each other (``tests/test_reference.py``). It favours
being obviously right over being fast: each rule is one small pass over the text, in
the order below, and the character tables are spelled out as in the specification.

1. ZWJ (U+200D) is kept only when both of its neighbours *in the input* are emoji.
2. Line breaks: CR LF -> LF, lone CR -> LF, U+0085 / U+2028 / U+2029 -> LF.
3. Presentation forms (U+FB50-FDFF, U+FE70-FEFE) -> NFKC; the isolated forms of marks,
   whose NFKC is SPACE + mark(s), give just the mark(s).
4. Combining madda / hamza above / hamza below (U+0653-0655) are composed onto a
   preceding carrier (ا و ي ە ہ ے) exactly as NFC would compose them.
5. One character at a time: invisible characters, diacritics and tatweel are deleted;
   Unicode spaces become a space; alef, yeh, teh marbuta and Persian/Urdu letters are
   folded; Eastern digits become ASCII; typographic double quotes become ``"``; Latin
   letters below U+0250 are lower-cased.
6. Spaces: runs of spaces become one; spaces at the start and end of every line (and so
   of the text) are removed. Line breaks are kept as they are.
7. An Arabic letter repeated three or more times in a row becomes one copy.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ARABIC_LETTERS", "EMOJI_RANGES", "search_normalize"]


def _chars(*items: str | tuple[int, int]) -> set[str]:
    """Characters given one by one (a string) or as an inclusive code point range."""
    out: set[str] = set()
    for item in items:
        if isinstance(item, tuple):
            lo, hi = item
            out.update(chr(cp) for cp in range(lo, hi + 1))
        else:
            out.update(item)
    return out


# -- 1. ZWJ ---------------------------------------------------------------------------
ZWJ = "\u200d"
# The specification says "emoji" without listing them; these are the emoji blocks
# (Misc Technical, Misc Symbols + Dingbats, Misc Symbols and Arrows, the supplementary
# pictograph planes) plus VARIATION SELECTOR-16, which ends most emoji before a ZWJ.
EMOJI_RANGES = [
    (0x2300, 0x23FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0xFE0F, 0xFE0F),
    (0x1F000, 0x1FAFF),
]


def _is_emoji(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in EMOJI_RANGES)


def _keep_zwj_between_emoji(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch == ZWJ:
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before and after and _is_emoji(before) and _is_emoji(after)):
                continue
        out.append(ch)
    return "".join(out)


# -- 2. line breaks ---------------------------------------------------------------------
def _line_breaks(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in "\u0085\u2028\u2029":
        text = text.replace(ch, "\n")
    return text


# -- 3. presentation forms --------------------------------------------------------------
PRESENTATION_FORMS = _chars((0xFB50, 0xFDFF), (0xFE70, 0xFEFE))


def _presentation_form(ch: str) -> str:
    nfkc = unicodedata.normalize("NFKC", ch)
    rest = nfkc[1:]
    # e.g. U+FE70 ARABIC FATHATAN ISOLATED FORM -> " \u064b": keep just the mark.
    if nfkc.startswith(" ") and rest and all(unicodedata.combining(c) for c in rest):
        return rest
    return nfkc


def _presentation_forms(text: str) -> str:
    return "".join(_presentation_form(c) if c in PRESENTATION_FORMS else c for c in text)


# -- 4. madda / hamza onto their carrier, as NFC does ---------------------------------
CARRIERS = set("اويەہے")
MADDA_HAMZA = set("\u0653\u0654\u0655")


def _compose_carriers(text: str) -> str:
    """NFC, applied only to a carrier followed by its combining marks.

    A "cluster" is one character with combining class 0 followed by all the
    characters of non-zero combining class after it; NFC never composes across
    clusters, so normalizing a cluster on its own is exactly what NFC does to it.
    """
    if not MADDA_HAMZA.intersection(text):
        return text
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return "".join(
        unicodedata.normalize("NFC", c) if c[0] in CARRIERS and MADDA_HAMZA.intersection(c) else c
        for c in clusters
    )


# -- 5. one character at a time -----------------------------------------------------------
INVISIBLE = _chars(
    "\u00ad\u061c\u180e\ufeff",
    (0x200B, 0x200C),
    (0x200E, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
)
DIACRITICS = _chars(
    (0x064B, 0x065F), "\u0670", (0x0610, 0x061A), (0x06D6, 0x06ED), (0x08D3, 0x08FF)
)
TATWEEL = "\u0640"
SPACES = _chars("\t\u000b\u000c\u00a0\u1680\u202f\u205f\u3000", (0x2000, 0x200A))
FOLDS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ک": "ك",
    "ی": "ي",
    "ے": "ي",
    "ۀ": "ه",
    "ہ": "ه",
    "ۂ": "ه",
    "ھ": "ه",
    "ۓ": "ئ",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
}
for _i in range(10):
    FOLDS[chr(0x0660 + _i)] = str(_i)
    FOLDS[chr(0x06F0 + _i)] = str(_i)

_TABLE: dict[int, str | None] = {}
for _c in map(chr, range(0x0250)):
    if _c.isupper():
        _TABLE[ord(_c)] = _c.lower()
_TABLE.update({ord(c): " " for c in SPACES})
_TABLE.update({ord(k): v for k, v in FOLDS.items()})
_TABLE.update({ord(c): None for c in INVISIBLE | DIACRITICS | {TATWEEL}})


# -- 6. spaces ----------------------------------------------------------------------------
def _spaces(text: str) -> str:
    return "\n".join(re.sub(" +", " ", line).strip(" ") for line in text.split("\n"))


# -- 7. squeezing ---------------------------------------------------------------------------
# Arabic letters: the letters (general category Lo) of the Arabic block U+0600-06FF.
ARABIC_LETTERS = frozenset(
    c for c in map(chr, range(0x0600, 0x0700)) if unicodedata.category(c) == "Lo"
)
_RUN = re.compile("([" + "".join(sorted(ARABIC_LETTERS)) + r"])\1\1+")


def _squeeze(text: str) -> str:
    return _RUN.sub(r"\1", text)


def search_normalize(text: str) -> str:
    """The "search" profile of ``misfat.normalize``, slowly and plainly."""
    text = _keep_zwj_between_emoji(text)
    text = _line_breaks(text)
    text = _presentation_forms(text)
    text = _compose_carriers(text)
    text = text.translate(_TABLE)
    text = _spaces(text)
    return _squeeze(text)
