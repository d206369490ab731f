"""The misfat main job on Spark: ``clean_spark(sdf, text, site)`` → the columns of
``misfat.clean_corpus`` (clean, removed_lines, cluster, representative).

Built from ``misfat.distributed`` with ``mapInPandas`` (Arrow batches in, Arrow batches
out) and ``applyInPandas``; ``tests/test_spark.py`` checks it against ``clean_corpus``.
``cluster`` is a row position in the order of ``sdf`` (``zipWithIndex``).

    spark-submit examples/spark_clean.py pages.parquet out/ --site site
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pandas as pd

from misfat import BoilerplateModel
from misfat.distributed import (
    NearDup,
    StripOptions,
    bucket_pairs,
    candidate_table,
    kept,
    link_rows,
    merge_models,
    pair_scores,
)


def _values(s: pd.Series) -> list[Any]:
    return [x if isinstance(x, str) else None for x in s]


def clean_spark(
    sdf: Any,
    text: str = "text",
    site: str | None = None,
    *,
    output: str = "clean",
    opts: StripOptions | None = None,
    nd: NearDup | None = None,
) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark = sdf.sparkSession
    opts = opts or StripOptions()
    nd = nd or NearDup.make()
    # Row positions 0..n-1 in the frame's order (the cluster ids refer to them).
    schema = T.StructType([*sdf.schema.fields, T.StructField("_row", T.LongType(), False)])
    rows = sdf.rdd.zipWithIndex().map(lambda p: (*p[0], p[1]))
    sdf = spark.createDataFrame(rows, schema)

    # 1. The per-site model: fitted per partition, merged on the driver, broadcast.
    model = None
    if site is not None:

        def fit(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
            for pdf in batches:
                m = opts.fit(_values(pdf[text]), _values(pdf[site]))
                yield pd.DataFrame({"model": [m.to_bytes()]})

        blobs = sdf.select(text, site).mapInPandas(fit, "model binary").collect()
        model = merge_models([BoilerplateModel(bytes(r.model)) for r in blobs])
    bmodel = spark.sparkContext.broadcast(model)

    # 2. Strip and normalize per Arrow batch.
    out_schema = T.StructType(
        [
            *sdf.schema.fields,
            T.StructField(output, T.StringType(), True),
            T.StructField("removed_lines", T.LongType(), True),
        ]
    )

    def clean(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for pdf in batches:
            sites = _values(pdf[site]) if site is not None else None
            cleaned, removed = opts.clean(_values(pdf[text]), sites, bmodel.value)
            yield pdf.assign(**{output: cleaned, "removed_lines": pd.array(removed, dtype="Int64")})

    cleaned = sdf.mapInPandas(clean, out_schema).cache()

    # 3. Band keys (uint64 stored as int64 bits), grouped by (band, key) → candidate pairs.
    def keys(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for pdf in batches:
            row = pdf["_row"].to_numpy()
            band, key, pos = candidate_table(_values(pdf[output]), nd)
            yield pd.DataFrame({"band": band, "key": key.view("int64"), "row": row[pos]})

    def pairs(pdf: pd.DataFrame) -> pd.DataFrame:
        p = bucket_pairs(
            pdf["band"].to_numpy(),
            pdf["key"].to_numpy().view("uint64"),
            pdf["row"].to_numpy(),
            nd.sentence_band,
        )
        return pd.DataFrame({"a": p[:, 0], "b": p[:, 1]})

    long = cleaned.select(output, "_row").mapInPandas(keys, "band long, key long, row long")
    cand = long.groupBy("band", "key").applyInPandas(pairs, "a long, b long").distinct()

    # 4. Verify each pair on its two texts.
    texts = cleaned.select(F.col("_row"), F.col(output).alias("t"))
    joined = cand.join(texts.withColumnRenamed("_row", "a").withColumnRenamed("t", "ta"), "a")
    joined = joined.join(texts.withColumnRenamed("_row", "b").withColumnRenamed("t", "tb"), "b")

    def verify(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for pdf in batches:
            scores = pair_scores(pdf["ta"].tolist(), pdf["tb"].tolist(), nd)
            ok = kept(scores, nd)
            yield pdf.loc[ok, ["a", "b"]].assign(score=scores[ok])

    edges = joined.mapInPandas(verify, "a long, b long, score double").toPandas()

    # 5. Clusters of the verified pairs (near-duplicates only) on the driver, by the
    # core's rule (through representatives for match="reprint").
    nodes, roots = link_rows(
        edges[["a", "b"]].to_numpy("int64"), edges["score"].to_numpy("float64"), nd
    )
    members = spark.createDataFrame(
        pd.DataFrame({"_row": nodes.astype("int64"), "cluster": roots.astype("int64")}),
        "_row long, cluster long",
    )
    result = cleaned.join(members, "_row", "left").withColumn(
        "cluster", F.coalesce(F.col("cluster"), F.col("_row"))
    )
    result = result.withColumn("representative", F.col("cluster") == F.col("_row"))
    return result.orderBy("_row").drop("_row")


if __name__ == "__main__":
    import argparse

    from pyspark.sql import SparkSession

    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--text", default="text")
    ap.add_argument("--site")
    a = ap.parse_args()
    spark = SparkSession.builder.appName("misfat clean").getOrCreate()
    clean_spark(spark.read.parquet(a.input), a.text, a.site).write.parquet(a.output)
    sys.exit(0)
