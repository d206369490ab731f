"""Building blocks of the near-duplicate job for any engine (Spark, Ray, your own).

``misfat.dask`` is built from these; ``examples/spark_clean.py`` builds the Spark job from
them. The recipe, giving the same clusters as ``misfat.dedup`` on the whole column:

1. ``nd = NearDup.make(threshold=...)``: settings resolved once (defaults: ``dedup``'s).
2. Per partition: ``keys = signature_keys(texts, nd)`` then ``band, key, row =
   long_keys(keys, first_row)`` (``row``: the global 0-based position of each text).
3. Group the long table by ``(band, key)``; per group (or per partition after a shuffle
   on ``(band, key)``): ``bucket_pairs(band, key, row)`` → candidate pairs ``(a, b)``.
4. Drop duplicate pairs, join each side with its text, ``verify_pairs(a_texts, b_texts,
   nd)`` → keep the pairs reaching the threshold.
5. ``components(n, pairs)`` → for every row, the first row of its cluster.

Stripping: fit ``StripOptions().fit(texts, sites)`` per partition, ``merge_models`` the
results, ship the model (picklable) and call ``StripOptions().clean(texts, sites, model)``.
"""

from __future__ import annotations

from ._clusters import (
    ALL_PAIRS,
    NO_KEY,
    NearDup,
    bucket_pairs,
    components,
    long_keys,
    signature_keys,
    verify_pairs,
)
from .corpus import StripOptions, merge_models

__all__ = [
    "ALL_PAIRS",
    "NO_KEY",
    "NearDup",
    "StripOptions",
    "bucket_pairs",
    "components",
    "long_keys",
    "merge_models",
    "signature_keys",
    "verify_pairs",
]
