"""examples/spark_clean.py on a local Spark (2 cores) gives clean_corpus's result."""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from corpus_data import corpus

from misfat.corpus import clean_corpus

pytest.importorskip("pyspark")
pytestmark = pytest.mark.java  # a Java runtime; without one these fail (conftest.py)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "spark_clean.py"


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # py4j/pyspark internals
        session = (
            SparkSession.builder.master("local[2]")
            .appName("misfat-test")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _load_example() -> object:
    spec = importlib.util.spec_from_file_location("spark_clean", EXAMPLE)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_spark_job_equals_clean_corpus(spark: object) -> None:
    df = pd.DataFrame(corpus(copies=2))
    expect = clean_corpus(df, site="site", progress=False)
    mod = _load_example()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sdf = spark.createDataFrame(df.astype(object).where(df.notna(), None))
        got = mod.clean_spark(sdf, "text", site="site").toPandas()
    assert list(got.columns) == list(expect.columns)
    assert [x if isinstance(x, str) else None for x in got["clean"]] == [
        x if isinstance(x, str) else None for x in expect["clean"]
    ]
    assert got["removed_lines"].astype("Int64").tolist() == expect["removed_lines"].tolist()
    assert got["cluster"].tolist() == expect["cluster"].tolist()
    assert got["representative"].tolist() == expect["representative"].tolist()
