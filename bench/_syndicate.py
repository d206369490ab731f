"""Realistic syndication edits: what an outlet does to wire copy it republishes.

Used by ``eval_neardup.py`` (labelled groups) and ``bench_dedup_scale.py`` (the corpus
replicated to a million articles). Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
import re

HEADERS = [
    "شارك هذا الخبر عبر فيسبوك وتويتر",
    "الرئيسية > أخبار > عربي ودولي",
    "آخر تحديث: منذ ساعتين",
    "اقرأ أيضاً",
    "تابعونا على تطبيق الأخبار",
    "حجم الخط",
]
FOOTERS = [
    "المصدر: وكالات",
    "(أ.ف.ب)",
    "(رويترز)",
    "جميع الحقوق محفوظة © 2018",
    "تابعونا على تويتر وفيسبوك وإنستغرام",
    "اشترك في النشرة البريدية ليصلك كل جديد",
    "مقالات ذات صلة",
]
# Spelling variants outlets and keyboards produce (each maps to itself under "search").
_FINAL = {"ة": "ه", "ى": "ي", "ه": "ة", "ي": "ى"}
_HAMZA = {"أ": "ا", "إ": "ا", "آ": "ا"}
_DIAC = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]
_SENT = re.compile(r"(?<=[.!؟])\s+")


def _respell(word: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3 and word and word[-1] in _FINAL:
        return word[:-1] + _FINAL[word[-1]]
    if r < 0.55 and word and word[0] in _HAMZA:
        return _HAMZA[word[0]] + word[1:]
    if r < 0.7 and len(word) > 3:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + "ـ" + word[i:]
    if r < 1.0 and len(word) > 1:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice(_DIAC) + word[i:]
    return word


def paragraphs(text: str) -> list[str]:
    paras = [p for p in text.split("\n") if p.strip()]
    if len(paras) < 3:  # one block: cut it into sentences
        paras = [s for s in _SENT.split(text) if s.strip()]
    return paras


def syndicate(
    text: str,
    rng: random.Random,
    vocab: list[str],
    strength: float = 1.0,
    related: list[str] | None = None,
) -> str:
    """A republished copy: other furniture, a dropped or moved paragraph, spelling
    variants, a few word edits. ``strength`` scales how much changes (0: furniture
    only). ``related``: the outlet's "related stories" block to append (headlines of the
    day, shared by every page the outlet publishes that day)."""
    paras = paragraphs(text)
    if len(paras) >= 4 and rng.random() < 0.4 * strength:
        del paras[rng.randrange(1, len(paras))]  # an outlet cuts a paragraph
    if len(paras) >= 3 and rng.random() < 0.3 * strength:
        i = rng.randrange(len(paras) - 1)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
    if len(paras) >= 6 and rng.random() < 0.2 * strength:
        paras = paras[: max(3, int(len(paras) * 0.7))]  # truncated copy
    out = []
    for p in paras:
        words = p.split(" ")
        for i, w in enumerate(words):
            r = rng.random()
            if r < 0.06 * strength:
                words[i] = _respell(w, rng)
            elif r < 0.075 * strength:
                words[i] = rng.choice(vocab)
            elif r < 0.085 * strength:
                words[i] = ""
        out.append(" ".join(w for w in words if w))
    head = rng.sample(HEADERS, rng.randint(0, 3))
    foot = rng.sample(FOOTERS, rng.randint(1, 3))
    tail = ["مقالات ذات صلة", *related] if related else []
    return "\n".join(head + out + foot + tail)
