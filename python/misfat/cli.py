"""The ``misfat`` command: ``misfat demo`` runs the main job on bundled sample pages."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

from .normalize import normalize


def sample_pages() -> list[dict[str, Any]]:
    """The bundled sample pages (ANT Corpus articles), one dict per page."""
    text = resources.files("misfat").joinpath("data/sample_pages.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _demo(args: argparse.Namespace) -> int:
    pages = sample_pages()
    texts = [p["text"] for p in pages]
    cleaned = normalize(texts, profile=args.profile)
    out = sys.stdout
    for page, before, after in zip(pages, texts, cleaned, strict=True):
        out.write(f"\n=== {page['id']} ({page['site']}) ===\n")
        first_before = before.strip().splitlines()[0][: args.width]
        first_after = after.strip().splitlines()[0][: args.width]
        out.write(f"before: {first_before}\nafter:  {first_after}\n")
        out.write(f"chars: {len(before)} -> {len(after)}\n")
    changed = sum(a != b for a, b in zip(texts, cleaned, strict=True))
    out.write(f"\nnormalized {len(pages)} pages with profile {args.profile!r}; {changed} changed\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="misfat", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the main job on the bundled sample pages")
    demo.add_argument("--profile", default="search", help="normalization profile")
    demo.add_argument("--width", type=int, default=160, help="characters shown per line")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
