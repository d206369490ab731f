#!/usr/bin/env python3
"""Flatten an HTML page into text, one block per line, the way a simple
scraper's text extraction does (no boilerplate removal at all).

Rules
- content of script/style/noscript/svg/head/template/iframe/select/button
  is dropped;
- every block-level element (p, div, li, h1-h6, td, th, figcaption, ...)
  starts and ends a line; <br> ends a line;
- inline elements (a, span, b, em, strong, ...) are joined with spaces
  inside the current line;
- whitespace is collapsed, empty lines are skipped.

Usage: python3 flatten.py page.html  > page.txt
Stdlib only (html.parser).
"""

import re
import sys
from html.parser import HTMLParser

SKIP = {
    "script",
    "style",
    "noscript",
    "svg",
    "head",
    "template",
    "iframe",
    "select",
    "button",
    "object",
    "embed",
    "canvas",
    "math",
}
BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
    "time_block",
}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
WS = re.compile(r"\s+")


class Flattener(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.buf = []
        self.skip_depth = 0

    def flush(self):
        text = WS.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in SKIP and tag not in VOID:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        tag = tag.lower()
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in SKIP and tag not in VOID:
            if self.skip_depth:
                self.skip_depth -= 1
            return
        if self.skip_depth:
            return
        if tag in BLOCK:
            self.flush()

    def handle_data(self, data):
        if self.skip_depth:
            return
        self.buf.append(data)

    def close(self):
        super().close()
        self.flush()


def flatten(html: str) -> list:
    p = Flattener()
    p.feed(html)
    p.close()
    return p.lines


def main(argv):
    for path in argv[1:]:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in flatten(f.read()):
                print(line)


if __name__ == "__main__":
    main(sys.argv)
