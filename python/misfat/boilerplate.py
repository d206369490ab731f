"""Boilerplate stripping for page text already extracted one block per line.

``misfat.strip_boilerplate`` removes site furniture (menus, tickers, share and comment
widgets, bylines, photo captions, "related articles" tails, copyright footers, repeated
titles) and keeps every line of the article; ``misfat.classify_lines`` says, line by line,
what was removed and why; ``misfat.BoilerplateModel`` learns the lines a site repeats on
many of its pages (author boxes, footers) from a corpus.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from . import _core
from ._shapes import (
    align,
    as_list,
    check_non_negative,
    is_arrow,
    is_series,
    map_text,
    map_values,
    refuse_table,
    surrogate_error,
)

AGGRESSIVENESS: tuple[str, ...] = tuple(_core.AGGRESSIVENESS)
REASONS: tuple[str, ...] = tuple(_core.REASONS)


class Line(NamedTuple):
    """One line of a page: ``pd.DataFrame(misfat.classify_lines(text))`` gives a table."""

    line: int
    """Line number (0-based; lines are separated by ``\\n``)."""
    kept: bool
    reason: str
    """``content`` for kept lines, else why it was removed (see ``misfat.REASONS``)."""
    start: int
    """Offset of the line's first character in the input (Python string index)."""
    end: int
    """Offset just after the line's last character (the line break is not included)."""
    text: str


class BoilerplateModel(_core.BoilerplateModel):
    """Lines a site repeats on many pages, learned from a corpus.

    Fit it on pages of the sites you will clean (``sites``: a site or domain per page, or
    one for all). Each page counts as one *story*, identified by its first paragraph, so
    copies of a story (updates, republished wire copy) count once. A short line is
    *repeated* on a site when it occurs in at least ``min_df`` stories there; a line that
    reads like article text needs ``prose_min_df`` stories and must not occur on another
    site, so a wire paragraph that several outlets carry is never learned as furniture. A
    page's own title (its first line) and first paragraph are never removed by the model.
    Without sites, pages are counted together (and the cross-site protection cannot apply).

    Frozen and thread-safe; picklable, mergeable across partitions, ``save``/``load``.

    >>> pages = [f"Story number {i} is a sentence of the article text here.\\nFollow us"
    ...          for i in range(5)]
    >>> m = BoilerplateModel.fit(pages, sites="example.com")
    >>> strip_boilerplate("A new story that is a sentence of text.\\nFollow us",
    ...                   model=m, sites="example.com")
    'A new story that is a sentence of text.'
    """

    __slots__ = ()

    @classmethod
    def fit(
        cls,
        texts: Any,
        sites: Any = None,
        *,
        min_df: int = 3,
        prose_min_df: int = 5,
        n_threads: int = 1,
    ) -> BoilerplateModel:
        """Counts the lines of ``texts`` (a list, Series or Arrow array of page texts).

        ``sites`` is ``None``, one str for every page, or a sequence with one site (or
        ``None``) per page: by position, or on the index when both are pandas Series.
        Missing texts are skipped.
        """
        learner = _Learner(min_df=min_df, prose_min_df=prose_min_df)
        learner.add(texts, sites, n_threads)
        return learner.model(cls)

    def merge(self, other: _core.BoilerplateModel) -> BoilerplateModel:
        """A model with the counts of both (fitted on different partitions)."""
        if not isinstance(other, _core.BoilerplateModel):
            raise TypeError(f"can only merge a BoilerplateModel, got {type(other).__name__}")
        return merge_all([self, other], type(self))

    @classmethod
    def load(cls, path: Any) -> BoilerplateModel:
        """Reads a model written by ``save`` (a ``ValueError`` if the file is not one)."""
        return cls(_core.BoilerplateModel.load(path).to_bytes())


class _Learner:
    """One running model fitted batch by batch: each batch is counted straight into it
    (no model per batch, no merges, no bytes in between), so learning a corpus in chunks
    gives the model of fitting it at once."""

    __slots__ = ("_counts",)

    def __init__(self, *, min_df: int = 3, prose_min_df: int = 5) -> None:
        check_non_negative(min_df=min_df, prose_min_df=prose_min_df)
        self._counts = _core._ModelBuilder(min_df=min_df, prose_min_df=prose_min_df)

    def add(self, texts: Any, sites: Any = None, n_threads: int = 1) -> None:
        """Counts the pages ``texts`` (with ``sites`` as in ``BoilerplateModel.fit``)."""
        refuse_table(texts, "texts")
        data = texts if _is_plain_column(texts) else as_list(texts, "texts")
        self._counts.add(data, _sites_list(sites, texts), n_threads=n_threads)

    def model(self, cls: type[BoilerplateModel] | None = None) -> BoilerplateModel:
        """The fitted model (once: the counts move into it)."""
        return (cls or BoilerplateModel)(self._counts)


def merge_all(
    models: list[_core.BoilerplateModel], cls: type[BoilerplateModel] | None = None
) -> BoilerplateModel:
    """One model with the counts of all (same options), absorbed one after the other into
    one set of counts."""
    if not models:
        raise ValueError("no models to merge")
    counts = _core._ModelBuilder(min_df=models[0].min_df, prose_min_df=models[0].prose_min_df)
    for m in models:
        counts.absorb(m)
    return (cls or BoilerplateModel)(counts)


def _is_plain_column(data: Any) -> bool:
    if isinstance(data, list):
        return True
    return not is_series(data) and is_arrow(data)


def _sites_list(sites: Any, data: Any) -> Any:
    """One site name (a str) for every row, or one per row: by position, or on the index
    when ``sites`` and ``data`` are both pandas Series."""
    if sites is None or isinstance(sites, str):
        return sites
    return as_list(align(sites, data, "sites"), "sites")


def _check_model(model: Any) -> None:
    if model is not None and not isinstance(model, _core.BoilerplateModel):
        raise TypeError(f"model must be a BoilerplateModel, got {type(model).__name__}")


def _options(keep_titles: bool, keep_captions: bool, aggressiveness: str) -> dict[str, Any]:
    for name, value in (("keep_titles", keep_titles), ("keep_captions", keep_captions)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    if not isinstance(aggressiveness, str):
        raise TypeError(
            f"aggressiveness must be one of {', '.join(AGGRESSIVENESS)}, "
            f"got {type(aggressiveness).__name__}"
        )
    return {
        "keep_titles": keep_titles,
        "keep_captions": keep_captions,
        "aggressiveness": aggressiveness,
    }


def strip_boilerplate(
    data: Any,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    sites: Any = None,
    return_removed: bool = False,
    n_threads: int = 1,
    errors: str = "strict",
) -> Any:
    """Removes site furniture from page text (one block per line); kept lines joined by \\n.

    ``data`` is a str, an iterable of str, a pandas Series or an Arrow string array; the
    result has the same shape and missing values (None, NaN, pd.NA, Arrow nulls) stay
    missing. Blank lines are dropped.

    Options (keyword-only):

    - ``keep_titles=True``: keep titles and subheadings (short unpunctuated lines inside the
      article). ``False`` keeps only sentences and paragraphs.
    - ``keep_captions=False``: ``True`` keeps photo captions and credit lines.
    - ``aggressiveness="normal"``: ``"low"`` removes only unambiguous furniture (whole-line
      lexicon phrases, tickers, URLs, credit captions, duplicates, "related articles"
      tails); ``"normal"`` also bylines, caption pairs, "read also" links and one-word
      labels around the article; ``"high"`` also cuts the page at "read also" and drops
      labels of up to four words below the article.
    - ``model``/``sites``: a fitted ``BoilerplateModel`` and the site of every row (one str,
      or a sequence with one site per row: by position, or on the index when ``data`` and
      ``sites`` are both pandas Series, as ``similarity`` aligns them; a Series whose index
      lacks labels of ``data``'s is a ``ValueError``) to remove lines the site repeats on
      many pages.
    - ``return_removed=True``: each present value becomes ``(text, removed_line_count)``;
      a missing value stays the object given.
    - ``n_threads``: threads for one call (-1: all cores).

    >>> strip_boilerplate("Skip to content\\nThe council approved the budget on Tuesday.\\nShare")
    'The council approved the budget on Tuesday.'
    """
    opts = _options(keep_titles, keep_captions, aggressiveness)
    _check_model(model)
    site_list = _sites_list(sites, data)

    def batch(rows: Any) -> Any:
        return _core._strip_batch(
            rows,
            model=model,
            sites=site_list,
            n_threads=n_threads,
            errors=errors,
            return_removed=return_removed,
            **opts,
        )

    if return_removed:
        return map_values(data, batch)
    return map_text(data, batch)


def classify_lines(
    text: str,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    site: str | None = None,
) -> list[Line]:
    """Every line of one page with its verdict: ``Line(line, kept, reason, start, end, text)``.

    Options are those of ``strip_boilerplate``; ``start``/``end`` index ``text``.

    >>> rows = classify_lines("Share\\nThe council approved the budget on Tuesday.")
    >>> [(r.line, r.kept, r.reason, r.start, r.end) for r in rows]
    [(0, False, 'lexicon', 0, 5), (1, True, 'content', 6, 49)]
    >>> import pandas as pd
    >>> pd.DataFrame(rows).columns.tolist()
    ['line', 'kept', 'reason', 'start', 'end', 'text']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if site is not None and not isinstance(site, str):
        raise TypeError(f"site must be a str or None, got {type(site).__name__}")
    _check_model(model)
    opts = _options(keep_titles, keep_captions, aggressiveness)
    try:
        # A page is a batch of one (the accessor's call); `sites` as one str for every row.
        _, *columns = _core._classify_batch([text], model=model, sites=site, **opts)
    except (ValueError, UnicodeEncodeError):
        for what, value in (("text", text), ("site", site)):
            if isinstance(value, str) and not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise surrogate_error(value, what) from None
        raise
    return [Line(*row) for row in zip(*columns, strict=True)]
