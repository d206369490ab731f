"""Pictures of what misfat did, for notebooks.

``show_page(text, model=m, site="example.com")`` is ``classify_lines`` drawn: in Jupyter it
renders the page right to left, line by line, each removed line coloured by its reason with
a legend; ``print`` gives the same as plain text. No dependency beyond misfat: the browser
shapes and orders the Arabic.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ._mirror import passes_options
from .boilerplate import REASONS, Line, classify_lines

__all__ = ["PageView", "reason_colour", "show_page"]

# Pastel backgrounds (ColorBrewer Pastel1 and Pastel2) that keep dark text readable, one per
# reason in the order of ``misfat.REASONS``, so a reason added to the core gets a colour.
_PALETTE = (
    "#fbb4ae",
    "#b3cde3",
    "#ccebc5",
    "#decbe4",
    "#fed9a6",
    "#ffffcc",
    "#e5d8bd",
    "#fddaec",
    "#b3e2cd",
    "#fdcdac",
    "#cbd5e8",
    "#f4cae4",
)
_UNKNOWN = "#d9d9d9"


def reason_colour(reason: str) -> str | None:
    """The background ``show_page`` gives lines removed for ``reason`` (``None`` for kept
    lines, ``content``)."""
    if reason == "content":
        return None
    if reason not in REASONS:
        return _UNKNOWN
    removed = [r for r in REASONS if r != "content"]
    return _PALETTE[removed.index(reason) % len(_PALETTE)]


class PageView:
    """One page's lines with their verdicts; ``_repr_html_`` draws them (see ``show_page``).

    ``lines``: the ``Line`` rows of ``classify_lines``; blank lines are not drawn.
    """

    def __init__(self, lines: Iterable[Line], title: str | None = None) -> None:
        self.lines = [line if isinstance(line, Line) else Line(*line) for line in lines]
        self.title = title

    @property
    def removed(self) -> Counter[str]:
        """How many non-blank lines each reason removed."""
        return Counter(r.reason for r in self.lines if not r.kept and r.reason != "blank")

    def _shown(self) -> list[Line]:
        return [r for r in self.lines if r.reason != "blank"]

    def __repr__(self) -> str:
        # Plain text: removed lines carry their reason in brackets.
        kept = sum(r.kept for r in self.lines)
        head = f"lines kept: {kept}, removed: {sum(self.removed.values())}"
        body = [("  " if r.kept else f"- [{r.reason}] ") + r.text.strip() for r in self._shown()]
        return "\n".join(([self.title] if self.title else []) + [head, *body])

    def to_html(self) -> str:
        """A self-contained HTML fragment (inline styles): a legend, then every non-blank
        line right to left; a removed line has its reason's colour and a badge naming it."""
        esc = html.escape
        counts = self.removed
        legend = [_swatch("kept", None, sum(r.kept for r in self.lines))]
        legend += [
            _swatch(reason, reason_colour(reason), counts[reason])
            for reason in [*REASONS, *sorted(set(counts) - set(REASONS))]
            if counts[reason]
        ]
        rows = []
        for r in self._shown():
            colour = reason_colour(r.reason)
            if colour is None:
                rows.append(f'<div style="padding:1px 6px"><bdi>{esc(r.text)}</bdi></div>')
                continue
            badge = (
                f'<span dir="ltr" style="font:11px monospace;background:#fff;'
                f"border:1px solid #888;border-radius:3px;padding:0 3px;"
                f'margin-inline-end:6px">{esc(r.reason)}</span>'
            )
            rows.append(
                f'<div title="{esc(r.reason)}" style="padding:1px 6px;background:{colour};'
                f'color:#333">{badge}<bdi>{esc(r.text)}</bdi></div>'
            )
        title = f"<div><b><bdi>{esc(self.title)}</bdi></b></div>" if self.title else ""
        return (
            '<div class="misfat-page" dir="rtl" style="text-align:right;line-height:1.7;'
            'max-width:60em">'
            f"{title}"
            f'<div dir="ltr" style="text-align:left;margin-bottom:6px">{" ".join(legend)}</div>'
            f"{''.join(rows)}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _swatch(label: str, colour: str | None, count: int) -> str:
    background = colour or "transparent"
    return (
        f'<span style="background:{background};color:#333;border:1px solid #888;'
        f'border-radius:3px;padding:0 4px;font:12px monospace">'
        f"{html.escape(label)} {count}</span>"
    )


@passes_options(classify_lines)
def show_page(text: str, *, title: str | None = None, **options: Any) -> PageView:
    """``classify_lines(text, ...)`` as a ``PageView``: in a notebook, the page right to left
    with every removed line coloured by its reason and a legend; ``print`` lists the lines
    with ``- [reason]`` before each removed one. Options are ``classify_lines``'; ``title``
    is drawn above the page.

    >>> print(show_page("Share\\nThe council approved the budget on Tuesday."))
    lines kept: 1, removed: 1
    - [lexicon] Share
      The council approved the budget on Tuesday.
    """
    return PageView(classify_lines(text, **options), title=title)
