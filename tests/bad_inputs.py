"""Bad calls and the exact error each gives: one list, used by ``test_bad_inputs.py``
(which asserts the type and message) and by ``scripts/bad_input_table.py`` (which writes
the README's "Bad input" table from it).

Each entry is ``(call, error type, message)``; ``call`` is Python source evaluated with
``misfat``, ``pd`` (pandas) and ``SIG`` (one 16-value MinHash signature) in scope.
"""

from __future__ import annotations

from typing import Any

BAD_INPUTS: list[tuple[str, type[BaseException], str]] = [
    # Counts and seeds (the extension's unsigned conversion named no parameter).
    (
        "misfat.MinHasher(num_perm=-1)",
        ValueError,
        "num_perm must be a non-negative int, got -1",
    ),
    ("misfat.MinHasher(seed=-1)", ValueError, "seed must be a non-negative int, got -1"),
    (
        "misfat.LSHIndex(threshold=0.5, num_perm=128, bands=-4, rows=4)",
        ValueError,
        "bands must be a non-negative int, got -4",
    ),
    (
        'misfat.similarity("خبر", "خبر", ngram=-2)',
        ValueError,
        "ngram must be a non-negative int, got -2",
    ),
    (
        'misfat.dedup(["خبر"], num_perm=-1)',
        ValueError,
        "num_perm must be a non-negative int, got -1",
    ),
    (
        'misfat.BoilerplateModel.fit(["خبر"], min_df=-1)',
        ValueError,
        "min_df must be a non-negative int, got -1",
    ),
    # Lone surrogates: where they are.
    (
        'misfat.classify_lines("خبر\\ud800")',
        ValueError,
        "text is not valid Unicode (lone surrogate U+D800 at position 3)",
    ),
    (
        'misfat.LSHIndex(num_perm=16).insert_many(["a", "b\\udc00"], [SIG, SIG])',
        ValueError,
        "key 1 is not valid Unicode (lone surrogate U+DC00 at position 1)",
    ),
    # Options: an unknown keyword, the parameter's own name, the valid values.
    (
        'misfat.normalize("خبر", tashkeel=False)',
        TypeError,
        "normalize() got an unexpected keyword argument 'tashkeel'",
    ),
    (
        'misfat.cdist(["خبر"], ["خبر"], workers=0)',
        ValueError,
        "workers must be -1 (all cores) or a positive integer, got 0",
    ),
    (
        'misfat.strip_boilerplate("خبر", aggressiveness="max")',
        ValueError,
        'unknown aggressiveness "max"; expected one of: low, normal, high',
    ),
    (
        "misfat.LSHIndex(num_perm=16).insert(True, SIG)",
        TypeError,
        "keys must be str or int (64-bit), got bool",
    ),
    # Options whose limit the message states exactly.
    (
        'misfat.dedup(["خبر"], match="jaccard", method="simhash", threshold=0.75)',
        ValueError,
        "simhash dedup needs threshold > 0.75 (at most 15 of the 64 bits may differ; "
        "0.75 allows 16), got 0.75",
    ),
    # A table where a column is expected.
    (
        'misfat.normalize(pd.DataFrame({"text": ["خبر"]}), return_offsets=True)',
        TypeError,
        "data must be one column (a str, an iterable of str, a pandas Series or an Arrow "
        "string array), got a pandas DataFrame; pass one column, e.g. df['text']",
    ),
    # Sites that do not line up with the data.
    (
        'misfat.strip_boilerplate(pd.Series(["خبر"], index=[1]), '
        'sites=pd.Series(["a.com"], index=[2]))',
        ValueError,
        "sites is a Series whose index does not hold the labels of the data's index; align "
        "them first (e.g. sites.reindex(data.index)) or pass sites.to_numpy() to match by "
        "position",
    ),
    # clean_corpus.
    (
        'misfat.clean_corpus(pd.DataFrame([["خبر", "نص"]], columns=["text", "text"]))',
        ValueError,
        "column 'text' appears 2 times in the DataFrame; rename or drop the duplicates "
        "(e.g. df.loc[:, ~df.columns.duplicated()])",
    ),
    (
        'misfat.clean_corpus(pd.DataFrame({"body": ["خبر"]}))',
        ValueError,
        "column 'text' not found in the DataFrame; available columns: body",
    ),
]


def namespace() -> dict[str, Any]:
    """What the calls may use."""
    import pandas as pd

    import misfat

    sig = misfat.MinHasher(num_perm=16).signatures(["خبر عاجل"])[0]
    return {"misfat": misfat, "pd": pd, "SIG": sig}


def run(call: str, ns: dict[str, Any]) -> BaseException | None:
    """The exception ``call`` raises (``None`` if it raises none)."""
    try:
        eval(call, ns)  # our own fixed list of calls
    except Exception as e:
        return e
    return None
