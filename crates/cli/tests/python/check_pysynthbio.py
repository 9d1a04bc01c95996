"""Drives a running `synthome serve` with the official client, pysynthbio, the way its users do:
list_models, get_example_query and predict_query in the hosted (async: predict, poll status,
download) and self-hosted (synchronous Arrow stream) forms; an invalid query must raise the
client's error carrying the server's message. Usage: check_pysynthbio.py BASE_URL API_KEY"""

import json
import os
import sys

base_url, api_key = sys.argv[1], sys.argv[2]
os.environ["SYNTHESIZE_API_KEY"] = api_key

import pysynthbio  # noqa: E402

query = json.loads(sys.stdin.read())
invalid = json.loads(os.environ["SYNTHOME_INVALID_QUERY"])
n_genes = int(os.environ["SYNTHOME_N_GENES"])
n_samples = sum(item["num_samples"] for item in query["inputs"])


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


models = pysynthbio.list_models(api_base_url=base_url)
check("list_models", any(m["model_id"] == "synthome-bulk-v1" for m in models["models"]), models)

example = pysynthbio.get_example_query("gem-1-bulk", api_base_url=base_url)
check("get_example_query", "inputs" in example["example_query"], example)

for self_hosted in (False, True):
    form = "self-hosted" if self_hosted else "hosted"
    result = pysynthbio.predict_query(
        dict(query),
        model_id="gem-1-bulk",
        api_base_url=base_url,
        poll_interval_seconds=1,
        poll_timeout_seconds=60,
        self_hosted=self_hosted,
    )
    expression, metadata = result["expression"], result["metadata"]
    check(f"{form} expression shape", expression.shape == (n_samples, n_genes), expression.shape)
    check(f"{form} gene ids", all(str(c).startswith("ENSG") for c in expression.columns), list(expression.columns)[:3])
    check(f"{form} counts", (expression.to_numpy() >= 0).all() and expression.to_numpy().sum() > 0)
    check(f"{form} metadata rows", len(metadata) == n_samples, metadata)
    check(f"{form} metadata echo", metadata["tissue_ontology_id"].iloc[0] == query["inputs"][0]["metadata"]["tissue_ontology_id"], metadata)
    check(f"{form} inferred sex", metadata["sex"].notna().all(), metadata)
    if not self_hosted:
        hosted = expression
    else:
        check("hosted and self-hosted agree (same seed)", (hosted.to_numpy() == expression.to_numpy()).all())

    try:
        pysynthbio.predict_query(
            dict(invalid), model_id="gem-1-bulk", api_base_url=base_url, self_hosted=self_hosted
        )
    except pysynthbio.ValidationError as error:
        check(f"{form} invalid query message", "UBERON:0002108" in str(error) and error.status_code == 422, str(error))
    else:
        check(f"{form} invalid query raises", False, "no error")

failing = json.loads(os.environ["SYNTHOME_FAILING_QUERY"])
try:
    pysynthbio.predict_query(dict(failing), model_id="gem-1-bulk", api_base_url=base_url, poll_interval_seconds=1)
except pysynthbio.SynthesizeAPIError as error:
    check("hosted failed job message", str(error).startswith("Model query failed: inputs[0]"), str(error))
else:
    check("hosted failed job raises", False, "no error")

print("all pysynthbio checks passed")
