"""A small corpus for the corpus-job tests, built from the bundled sample pages.

Every sample page once as bundled, then copies with different furniture and light edits
(a dropped paragraph, a sentence added, tatweel and alef variants), under other ids and
sites, so there are clusters of more than two, per-site furniture to learn, and rows
without text.
"""

from __future__ import annotations

import random
from typing import Any

from misfat.cli import sample_pages

FURNITURE = {
    "mirror-a": ["الرئيسية | أخبار | اقتصاد", "شارك هذا المقال", "جميع الحقوق محفوظة لموقع المرآة"],
    "mirror-b": ["القائمة", "تابعونا على تويتر", "© موقع النافذة 2018"],
}


def _edit(text: str, rng: random.Random) -> str:
    lines = [x for x in text.split("\n") if x.strip()]
    if len(lines) > 4:
        del lines[rng.randrange(1, len(lines) - 1)]
    lines = [
        x.replace("ا", "أ", 1).replace("ي", "ى", 1) if i % 2 else x for i, x in enumerate(lines)
    ]
    return "\n".join(lines)


def corpus(copies: int = 3, seed: int = 7) -> list[dict[str, Any]]:
    """Rows with id, site, text (some None) and title."""
    rng = random.Random(seed)
    pages = sample_pages()
    rows: list[dict[str, Any]] = [
        {"id": p["id"], "site": p["site"], "title": p["title"], "text": p["text"]} for p in pages
    ]
    for c in range(copies):
        for p in pages:
            site = "mirror-a" if (c + len(p["id"])) % 2 else "mirror-b"
            head, tail = FURNITURE[site][:1], FURNITURE[site][1:]
            body = _edit(p["text"], rng)
            rows.append(
                {
                    "id": f"{p['id']}-copy{c}",
                    "site": site,
                    "title": p["title"],
                    "text": "\n".join([*head, body, *tail]),
                }
            )
    rows.insert(3, {"id": "empty", "site": "mirror-a", "title": "", "text": None})
    rows.insert(9, {"id": "blank", "site": "mirror-b", "title": "", "text": ""})
    return rows
