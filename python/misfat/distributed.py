"""Building blocks of the near-duplicate job for any engine (Spark, Ray, your own).

``misfat.dask`` is built from these; ``examples/spark_clean.py`` builds the Spark job from
them. The recipe, giving the same clusters as ``misfat.dedup`` on the whole column:

1. ``nd = NearDup.make(threshold=...)``: settings resolved once (defaults: ``dedup``'s).
2. Per partition: ``band, key, row = candidate_table(texts, nd, first_row)`` (``row``:
   the global 0-based position of each text; MinHash band keys, and sentence keys for
   ``match="reprint"``).
3. Group the long table by ``(band, key)``; per group (or per partition after a shuffle
   on ``(band, key)``): ``bucket_pairs(band, key, row, nd.sentence_band)`` → candidate
   pairs ``(a, b)``.
4. Drop duplicate pairs, join each side with its text, ``pair_scores(a_texts, b_texts,
   nd)`` → keep the pairs ``kept(scores, nd)`` selects, with their scores.
5. ``link(n, pairs, scores, nd)`` (distinct pairs) → for every row, its cluster's
   representative (the core's rule: through representatives for ``"reprint"``);
   ``link_rows(pairs, scores, nd)`` when rows are global positions.

Stripping: fit ``StripOptions().fit(texts, sites)`` per partition, ``merge_models`` the
results, ship the model (picklable) and call ``StripOptions().clean(texts, sites, model)``.
"""

from __future__ import annotations

from ._clusters import (
    ALL_PAIRS,
    NO_KEY,
    NearDup,
    bucket_pairs,
    candidate_table,
    components,
    kept,
    link,
    link_rows,
    long_keys,
    pair_scores,
    signature_keys,
)
from .corpus import StripOptions, merge_models

__all__ = [
    "ALL_PAIRS",
    "NO_KEY",
    "NearDup",
    "StripOptions",
    "bucket_pairs",
    "candidate_table",
    "components",
    "kept",
    "link",
    "link_rows",
    "long_keys",
    "merge_models",
    "pair_scores",
    "signature_keys",
]
