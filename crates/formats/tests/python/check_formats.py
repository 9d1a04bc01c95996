"""Reads the files written by the formats round-trip test with the tools people use
(pandas, anndata, scipy) and checks them against cases.json. Prints one line per check;
exits non-zero on the first mismatch."""

import gzip
import json
import sys
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import scipy.io

root = Path(sys.argv[1])
expected = json.loads((root / "cases.json").read_text())
cases = expected["cases"]


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


for case in cases:
    tag = case["tag"]
    dense = np.array(case["dense"], dtype=np.float64)
    samples = case["sample_ids"]
    genes = case["gene_ids"]
    symbols = case["gene_symbols"]
    metadata = case["metadata"]

    for ext, sep in (("csv", ","), ("tsv", "\t")):
        frame = pd.read_csv(root / f"{tag}.expression.{ext}", index_col=0, sep=sep)
        check(f"{tag} {ext} shape", frame.shape == dense.shape, frame.shape)
        check(f"{tag} {ext} index", list(frame.index) == samples, list(frame.index))
        check(f"{tag} {ext} columns", list(frame.columns) == genes, list(frame.columns))
        check(f"{tag} {ext} values", np.allclose(frame.to_numpy(dtype=np.float64), dense, rtol=1e-6))
        meta = pd.read_csv(root / f"{tag}.metadata.{ext}", index_col=0, sep=sep, keep_default_na=False)
        for sample, fields in zip(samples, metadata):
            for key, value in fields.items():
                check(f"{tag} {ext} metadata {sample} {key}", meta.loc[sample, key] == value, meta.loc[sample, key])

    gct = pd.read_csv(root / f"{tag}.gct", sep="\t", skiprows=2, index_col=0)
    n_meta = len(gct) - len(genes)
    body = gct.iloc[n_meta:]
    check(f"{tag} gct genes", list(body.index) == genes, list(body.index))
    check(f"{tag} gct symbols", list(body["Description"]) == symbols)
    check(f"{tag} gct values", np.allclose(body[samples].to_numpy(dtype=np.float64), dense.T, rtol=1e-6))
    check(f"{tag} gct provenance", gct.loc["synthome_model_id", samples[0]] == expected["model_id"])

    adata = anndata.read_h5ad(root / f"{tag}.h5ad")
    x = adata.X.toarray() if hasattr(adata.X, "toarray") else np.asarray(adata.X)
    check(f"{tag} h5ad shape", x.shape == dense.shape, x.shape)
    check(f"{tag} h5ad values", np.allclose(x, dense, rtol=1e-6))
    check(f"{tag} h5ad sparse", hasattr(adata.X, "toarray") == case["sparse"], type(adata.X))
    if case["sparse"]:
        rows, cols = adata.X.nonzero()
        check(f"{tag} h5ad nonzero", len(rows) == int((dense != 0).sum()))
    check(f"{tag} h5ad obs_names", list(adata.obs_names) == samples)
    check(f"{tag} h5ad var_names", list(adata.var_names) == genes)
    check(f"{tag} h5ad gene_symbols", list(adata.var["gene_symbols"]) == symbols)
    for sample, fields in zip(samples, metadata):
        for key, value in fields.items():
            check(f"{tag} h5ad obs {sample} {key}", adata.obs.loc[sample, key] == value)
    for key in adata.obs.columns:
        check(f"{tag} h5ad obs {key} categorical", isinstance(adata.obs[key].dtype, pd.CategoricalDtype))
    prov = adata.uns["synthome"]
    check(f"{tag} h5ad uns model_id", prov["model_id"] == expected["model_id"], prov)
    check(f"{tag} h5ad uns seed", int(prov["seed"]) == expected["seed"], prov)
    check(f"{tag} h5ad uns query", json.loads(prov["query"]) == expected["query"], prov)

    mex = root / f"{tag}.mex"
    with gzip.open(mex / "matrix.mtx.gz") as handle:
        mtx = scipy.io.mmread(handle)
    counts = mtx.toarray().T
    check(f"{tag} mex values", np.allclose(counts, dense, rtol=1e-6))
    features = pd.read_csv(mex / "features.tsv.gz", sep="\t", header=None)
    check(f"{tag} mex features", list(features[0]) == genes and list(features[1]) == symbols)
    barcodes = pd.read_csv(mex / "barcodes.tsv.gz", sep="\t", header=None)
    check(f"{tag} mex barcodes", list(barcodes[0]) == samples)

    result = json.loads((root / f"{tag}.json").read_text())
    rows = []
    for output in result["outputs"]:
        counts = output["counts"]
        rows.append([counts.get(g, 0) for g in genes] if isinstance(counts, dict) else counts)
    check(f"{tag} json counts", np.array_equal(np.array(rows), np.floor(dense + 0.5)), rows)
    check(f"{tag} json gene_order", result["gene_order"] == genes)

print("all format checks passed")
