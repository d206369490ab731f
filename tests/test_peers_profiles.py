"""The "camel" and "lucene" profiles against the peers they promise to reproduce exactly.

- "camel": CAMeL Tools' ``dediac_ar`` then ``normalize_alef_ar``,
  ``normalize_alef_maksura_ar`` and ``normalize_teh_marbuta_ar``, run from the installed
  camel-tools (``pip install --no-deps camel-tools emoji six``: ``camel_tools.utils`` needs
  only those two besides the standard library; the full install pulls in torch).
- "lucene": ``org.apache.lucene.analysis.ar.ArabicNormalizer`` run in a JVM, from Debian's
  ``liblucene8-java`` (``apt-get install -y liblucene8-java``; Java 17 is on the machine).

Both peers work one character at a time, so every BMP character is compared on its own;
then the real corpus and hypothesis strings check that misfat adds no context effects.
Characters misfat currently gets wrong are listed in ``KNOWN_BUGS``: each one has its own
strict xfail test, and is left out of the other comparisons only. When the core is fixed,
those tests fail as "XPASS(strict)" and the characters must be removed from the list.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import misfat

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MISFAT_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"

# Characters on which misfat's profile differs from the peer today (reported to the lead).
UNCOMPOSED = "U+0653-0655: kept by the peer, deleted by the profile since commit 13036c7"
KNOWN_BUGS: dict[str, dict[str, str]] = {
    "camel": {
        "\u0640": "tatweel: dediac_ar keeps it, the camel profile deletes it",
        **{
            chr(c): "U+0656-065F: not in CAMeL's diacritics, the camel profile deletes them"
            for c in range(0x0656, 0x0660)
        },
        "\u0672": "ٲ: normalize_alef_ar folds only إ أ ٱ آ",
        "\u0673": "ٳ: normalize_alef_ar folds only إ أ ٱ آ",
        **dict.fromkeys("\u0653\u0654\u0655", UNCOMPOSED),
    },
    "lucene": {
        chr(c): "U+0656-065F: ArabicNormalizer deletes U+064B-0652 only"
        for c in range(0x0656, 0x0660)
    }
    | dict.fromkeys("\u0653\u0654\u0655", UNCOMPOSED),
}
PEERS = list(KNOWN_BUGS)


@lru_cache(maxsize=1)
def corpus_texts() -> list[str]:
    """Every title and article text of the corpus."""
    if not CORPUS.exists():
        pytest.skip(f"corpus not found at {CORPUS} (set MISFAT_SHARED)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r[k] for k in ("title", "text") for r in rows if isinstance(r.get(k), str)]


# -- the peers -----------------------------------------------------------------------------
def camel_chain() -> Callable[[str], str]:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
    )

    def run(text: str) -> str:
        text = dediac_ar(text)
        text = normalize_alef_ar(text)
        text = normalize_alef_maksura_ar(text)
        return normalize_teh_marbuta_ar(text)

    return run


JAVA_SOURCE = r"""
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.ar.ArabicNormalizer;

/** Frames of (4-byte big-endian length, UTF-8) in; the same, normalized, out; until EOF. */
public class LuceneNormalize {
  public static void main(String[] args) throws Exception {
    DataInputStream in = new DataInputStream(System.in);
    DataOutputStream out = new DataOutputStream(System.out);
    ArabicNormalizer normalizer = new ArabicNormalizer();
    while (true) {
      int n;
      try {
        n = in.readInt();
      } catch (EOFException eof) {
        break;
      }
      char[] chars = new String(in.readNBytes(n), StandardCharsets.UTF_8).toCharArray();
      int len = normalizer.normalize(chars, chars.length);
      byte[] result = new String(chars, 0, len).getBytes(StandardCharsets.UTF_8);
      out.writeInt(result.length);
      out.write(result);
      out.flush();
    }
  }
}
"""


def lucene_jar() -> str | None:
    for pattern in ("lucene-analyzers-common-*.jar", "lucene-analysis-common-*.jar"):
        found = sorted(glob.glob(f"/usr/share/java/{pattern}"))
        if found:
            return found[-1]
    return None


@pytest.fixture(scope="session")
def lucene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Lucene's ArabicNormalizer in one long-lived JVM."""
    jar = lucene_jar()
    if jar is None or not (shutil.which("javac") and shutil.which("java")):
        pytest.skip(
            "needs a JDK and Lucene: apt-get install -y openjdk-17-jdk-headless liblucene8-java"
        )
    build = tmp_path_factory.mktemp("lucene")
    (build / "LuceneNormalize.java").write_text(JAVA_SOURCE)
    subprocess.run(
        ["javac", "-cp", jar, "-d", str(build), str(build / "LuceneNormalize.java")], check=True
    )
    proc = subprocess.Popen(
        ["java", "-cp", f"{jar}:{build}", "LuceneNormalize"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def run(text: str) -> str:
        data = text.encode("utf-8")
        stdin.write(struct.pack(">i", len(data)) + data)
        stdin.flush()
        (n,) = struct.unpack(">i", stdout.read(4))
        return stdout.read(n).decode("utf-8")

    yield run
    stdin.close()
    stdout.close()
    proc.wait(timeout=30)


@pytest.fixture(params=PEERS)
def peer(request: pytest.FixtureRequest) -> tuple[str, Callable[[str], str]]:
    name = request.param
    return name, (camel_chain() if name == "camel" else request.getfixturevalue("lucene"))


# -- 1. every BMP character ------------------------------------------------------------
# (NUL, the separator below, maps to itself in both peers and in misfat.)
BMP = [chr(c) for c in range(1, 0x10000) if not 0xD800 <= c <= 0xDFFF]


def test_every_bmp_character_outside_known_bugs(peer: tuple[str, Callable[[str], str]]) -> None:
    name, run = peer
    ours = misfat.normalize(BMP, profile=name)
    # Both peers map characters independently, so one call on the joined text suffices.
    theirs = run("\x00".join(BMP)).split("\x00")
    assert len(theirs) == len(BMP)
    wrong = {c: (o, t) for c, o, t in zip(BMP, ours, theirs, strict=True) if o != t}
    unexplained = {f"U+{ord(c):04X}": v for c, v in wrong.items() if c not in KNOWN_BUGS[name]}
    assert unexplained == {}


@pytest.mark.xfail(strict=True, reason="core bug in the profile; see KNOWN_BUGS")
@pytest.mark.parametrize(
    ("name", "char"),
    [pytest.param(n, c, id=f"{n}-U+{ord(c):04X}") for n in PEERS for c in KNOWN_BUGS[n]],
)
def test_core_bug_known_character(name: str, char: str, request: pytest.FixtureRequest) -> None:
    run = camel_chain() if name == "camel" else request.getfixturevalue("lucene")
    text = f"ب{char}ب"
    assert misfat.normalize(text, profile=name) == run(text)


# -- 2. the real corpus -----------------------------------------------------------------
def mismatch_report(texts: list[str], ours: list[str], theirs: list[str]) -> str:
    bad = [k for k, (o, t) in enumerate(zip(ours, theirs, strict=True)) if o != t]
    if not bad:
        return ""
    k = bad[0]
    pairs = enumerate(zip(ours[k] + "\0", theirs[k] + "\0", strict=False))
    i = next(j for j, (a, b) in pairs if a != b)
    lo, hi = max(0, i - 15), i + 15
    return (
        f"{len(bad)} of {len(texts)} texts differ; e.g. #{k} at char {i}: "
        f"misfat {ours[k][lo:hi]!r} peer {theirs[k][lo:hi]!r}"
    )


def test_corpus_without_known_bug_characters(peer: tuple[str, Callable[[str], str]]) -> None:
    name, run = peer
    drop = re.compile("[" + re.escape("".join(KNOWN_BUGS[name])) + "]").sub
    texts = [drop("", t) for t in corpus_texts()]
    assert not mismatch_report(
        texts, misfat.normalize(texts, profile=name), [run(t) for t in texts]
    )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            "camel",
            marks=pytest.mark.xfail(
                strict=True, reason="core bug: tatweel in ~8,000 corpus texts (KNOWN_BUGS)"
            ),
        ),
        "lucene",
    ],
)
def test_corpus_as_is(name: str, request: pytest.FixtureRequest) -> None:
    run = camel_chain() if name == "camel" else request.getfixturevalue("lucene")
    texts = corpus_texts()
    assert not mismatch_report(
        texts, misfat.normalize(texts, profile=name), [run(t) for t in texts]
    )


# -- 3. hypothesis ------------------------------------------------------------------------
ALPHABET = (
    list("ابتثجحخدذرسشصعغفقكلمنهويءأإآٱٲٳىةؤئکیےۀۓ")
    + [chr(c) for c in range(0x064B, 0x0660)]  # tanwin, harakat, shadda, sukun, U+0653-065F
    + ["\u0670", "\u0640", "\u0610", "\u06d6", "\u08f0"]  # dagger alef, tatweel, Quranic
    + list("٠٩۴0 \n\r\t\u00a0\u200b\u200c\u200d\u200f،؟«»aZ😀")
    + ["\ufef7", "\ufe8d", "\ufe70", "\ufe94", "\ufef0"]  # presentation forms
)


def strings(name: str) -> st.SearchStrategy[list[str]]:
    alphabet = [c for c in ALPHABET if c not in KNOWN_BUGS[name]]
    return st.lists(st.text(st.sampled_from(alphabet), max_size=40), min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(strings("camel"))
def test_camel_hypothesis_outside_known_bugs(texts: list[str]) -> None:
    run = camel_chain()
    assert misfat.normalize(texts, profile="camel") == [run(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(texts=strings("lucene"))
def test_lucene_hypothesis_outside_known_bugs(
    lucene: Callable[[str], str], texts: list[str]
) -> None:
    assert misfat.normalize(texts, profile="lucene") == [lucene(t) for t in texts]


def test_alphabets_cover_what_the_peers_touch() -> None:
    """Guards the strategies: every character either peer changes is drawn."""
    touched = set("أإآٱىة\u0640\u0670") | {chr(c) for c in range(0x064B, 0x0653)}
    assert touched <= set(ALPHABET)
