"""misfat.show: the page view draws exactly what classify_lines decided."""

from __future__ import annotations

import inspect
import pydoc
import re
from html.parser import HTMLParser

import pytest

from misfat import REASONS, BoilerplateModel, classify_lines
from misfat.cli import sample_pages
from misfat.show import PageView, reason_colour, show_page


class _Rows(HTMLParser):
    """The line rows of a view: (reason or None, text), and the legend's labels."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str | None, str]] = []
        self.legend: list[str] = []
        self._stack: list[str] = []
        self._row_reason: str | None = None
        self._in_bdi = False
        self._in_legend = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._depth += 1
        if tag == "div" and self._depth == 2:
            self._in_legend = a.get("dir") == "ltr"
            self._row_reason = a.get("title")
        if tag == "bdi":
            self._in_bdi = True
            self.rows.append((self._row_reason, ""))

    def handle_endtag(self, tag: str) -> None:
        self._depth -= 1
        if tag == "bdi":
            self._in_bdi = False

    def handle_data(self, data: str) -> None:
        if self._in_bdi:
            reason, text = self.rows[-1]
            self.rows[-1] = (reason, text + data)
        elif self._in_legend and data.strip():
            self.legend.append(data.strip())


def _parse(view: PageView) -> _Rows:
    parser = _Rows()
    parser.feed(view._repr_html_())
    return parser


@pytest.fixture(scope="module")
def furnished() -> tuple[str, str, BoilerplateModel]:
    pages = sample_pages()
    model = BoilerplateModel.fit([p["text"] for p in pages], sites=[p["site"] for p in pages])
    return pages[8]["text"], pages[8]["site"], model


def test_rows_are_the_classified_lines(furnished: tuple[str, str, BoilerplateModel]) -> None:
    text, site, model = furnished
    lines = classify_lines(text, model=model, site=site)
    parsed = _parse(show_page(text, model=model, site=site))
    want = [(None if r.kept else r.reason, r.text) for r in lines if r.reason != "blank"]
    assert parsed.rows == want
    assert {r for r, _ in want} - {None}, "the sample page has furniture to show"


def test_legend_counts_each_reason_shown(furnished: tuple[str, str, BoilerplateModel]) -> None:
    text, site, model = furnished
    lines = classify_lines(text, model=model, site=site)
    legend = _parse(show_page(text, model=model, site=site)).legend
    counts = {}
    for r in lines:
        if r.reason != "blank":
            key = "kept" if r.kept else r.reason
            counts[key] = counts.get(key, 0) + 1
    assert sorted(legend) == sorted(f"{k} {n}" for k, n in counts.items())


def test_each_reason_has_its_own_colour() -> None:
    removed = [r for r in REASONS if r != "content"]
    colours = [reason_colour(r) for r in removed]
    assert reason_colour("content") is None
    assert None not in colours and len(set(colours)) == len(removed)
    assert reason_colour("a reason from a newer core") not in colours


def test_html_is_escaped_and_right_to_left() -> None:
    html = show_page("<b>Share</b>\nنص الخبر & <script>x</script> هنا في سطر طويل.")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert re.match(r'<div class="misfat-page" dir="rtl"', html)


def test_plain_text_marks_removed_lines() -> None:
    view = show_page("Share\nThe council approved the budget on Tuesday.", title="A page")
    assert repr(view).splitlines() == [
        "A page",
        "lines kept: 1, removed: 1",
        "- [lexicon] Share",
        "  The council approved the budget on Tuesday.",
    ]
    assert view.removed == {"lexicon": 1}


def test_help_shows_the_options_of_classify_lines_with_their_defaults() -> None:
    # show_page takes classify_lines' options through **options; its signature lists them.
    shown = inspect.signature(show_page).parameters
    wanted = inspect.signature(classify_lines).parameters
    assert list(shown) == [*wanted, "title"]
    for name, p in wanted.items():
        assert (shown[name].kind, shown[name].default) == (p.kind, p.default), name
    assert (shown["title"].kind, shown["title"].default) == (inspect.Parameter.KEYWORD_ONLY, None)
    doc = pydoc.render_doc(show_page, renderer=pydoc.plaintext)
    for p in list(wanted.values())[1:]:
        assert str(p) in doc  # e.g. keep_titles: 'bool' = True
    assert "**options" not in doc
    with pytest.raises(TypeError, match="keep_title"):
        show_page("Share", keep_title=False)


def test_options_reach_classify_lines() -> None:
    page = "Share\nThe council approved the budget on Tuesday."
    for aggressiveness in ("low", "normal", "high"):
        view = show_page(page, aggressiveness=aggressiveness, keep_titles=False)
        assert view.lines == classify_lines(page, aggressiveness=aggressiveness, keep_titles=False)
