"""Writes the README's "Bad input" table (input → exact error) from ``tests/bad_inputs.py``.

Runs every call of the list against the installed misfat and puts the error it really
raises between the markers of README.md; ``--check`` only says whether the README is
current (exit status 1 if not). A call that raises nothing is an error: the list is wrong.

    python scripts/bad_input_table.py          # rewrite the table
    python scripts/bad_input_table.py --check  # used by tests/test_bad_inputs.py
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START = "<!-- bad-input-table:start (scripts/bad_input_table.py writes this) -->"
END = "<!-- bad-input-table:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from bad_inputs import BAD_INPUTS, namespace, run

    ns = namespace()
    rows = ["| call | error |", "|---|---|"]
    for call, _kind, _message in BAD_INPUTS:
        err = run(call, ns)
        if err is None:
            raise SystemExit(f"{call} raised no error; fix tests/bad_inputs.py")
        rows.append(f"| `{_cell(call)}` | `{type(err).__name__}`: {_cell(str(err))} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the README")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # a debug build's import warning
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md lacks the markers {START!r} and {END!r}", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table()}\n{END}{tail}"
    if args.check:
        if new != text:
            print("README.md's bad input table is stale: python scripts/bad_input_table.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
