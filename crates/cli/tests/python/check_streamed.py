"""Reads the files `synthome generate` wrote in parts (GCT, MEX folder and zip, h5ad, Parquet)
with the tools people use (pandas, scipy.io.mmread, anndata, pyarrow) and checks that each holds
the same matrix as the CSV expression table of the same run. Prints one line per check; exits
non-zero on the first mismatch."""

import gzip
import io
import json
import sys
import zipfile
from pathlib import Path

import anndata
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import scipy.io

root = Path(sys.argv[1])


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


truth = pd.read_csv(root / "out.expression.csv", index_col=0)
meta = pd.read_csv(root / "out.metadata.csv", index_col=0, keep_default_na=False)
dense = truth.to_numpy(dtype=np.float64)
samples = list(truth.index)
genes = list(truth.columns)

gct = pd.read_csv(root / "out.gct", sep="\t", skiprows=2, index_col=0)
body = gct.iloc[len(gct) - len(genes):]
check("gct genes", list(body.index) == genes)
check("gct values", np.array_equal(body[samples].to_numpy(dtype=np.float64), dense.T))

with gzip.open(root / "out.mex" / "matrix.mtx.gz") as handle:
    mtx = scipy.io.mmread(handle)
check("mex values", np.array_equal(mtx.toarray().T, dense))
with zipfile.ZipFile(root / "out.zip") as archive:
    data = archive.read("out/matrix.mtx.gz")
mtx = scipy.io.mmread(io.BytesIO(gzip.decompress(data)))
check("mex zip values", np.array_equal(mtx.toarray().T, dense))

adata = anndata.read_h5ad(root / "out.h5ad")
check("h5ad sparse", hasattr(adata.X, "toarray"), type(adata.X))
check("h5ad int32", adata.X.dtype == np.int32, adata.X.dtype)
check("h5ad values", np.array_equal(adata.X.toarray(), dense))
check("h5ad obs_names", list(adata.obs_names) == samples)
check("h5ad var_names", list(adata.var_names) == genes)
for key in meta.columns:
    values = [("" if pd.isna(v) else v) for v in adata.obs[key].astype(object)]
    check(f"h5ad obs {key}", values == list(meta[key]), values)
check("h5ad uns seed", int(adata.uns["synthome"]["seed"]) == int(sys.argv[2]))

if (root / "out.parquet").exists():  # the CLI's `parquet` feature
    table = pq.read_table(root / "out.parquet")
    frame = table.to_pandas().set_index("sample_id")
    check("parquet index", list(frame.index) == samples)
    check("parquet columns", list(frame.columns) == genes)
    check("parquet int32", all(str(t) == "int32" for t in table.schema.types[1:]))
    check("parquet values", np.array_equal(frame.to_numpy(dtype=np.float64), dense))
    provenance = json.loads(pq.ParquetFile(root / "out.parquet").metadata.metadata[b"synthome"])
    check("parquet provenance", provenance["seed"] == int(sys.argv[2]), provenance)
    pmeta = pd.read_parquet(root / "out.metadata.parquet").set_index("sample_id")
    for key in meta.columns:
        values = [("" if v is None else v) for v in pmeta[key]]
        check(f"parquet metadata {key}", values == list(meta[key]), values)
print("all streamed format checks passed")
