"""Drives a running `synthome serve` with pysynthbio for the four model-family ids, the way the
hosted service's users do: get_example_query, then predict_query in the hosted (async JSON) and
self-hosted (Arrow) forms. Usage: check_pysynthbio_families.py BASE_URL API_KEY"""

import os
import sys

base_url, api_key = sys.argv[1], sys.argv[2]
os.environ["SYNTHESIZE_API_KEY"] = api_key

import pysynthbio  # noqa: E402


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name}: {detail}")
        sys.exit(1)
    print(f"ok {name}")


for model in ("gem-1-bulk", "gem-1-sc"):
    predict_id = f"{model}_predict-metadata"
    example = pysynthbio.get_example_query(predict_id, api_base_url=base_url)["example_query"]
    check(f"{predict_id} example query", "counts" in example["inputs"][0], list(example))
    n_genes = len(example["inputs"][0]["counts"])
    for self_hosted in (False, True):
        form = "self-hosted" if self_hosted else "hosted"
        result = pysynthbio.predict_query(
            dict(example), model_id=predict_id, api_base_url=base_url,
            poll_interval_seconds=1, poll_timeout_seconds=120, self_hosted=self_hosted,
        )
        check(f"{predict_id} {form} keys", {"metadata", "classifier_probs", "latents"} <= set(result), list(result))
        probs = result["classifier_probs"].iloc[0].to_dict()
        metadata = result["metadata"].iloc[0].dropna().to_dict()
        check(f"{predict_id} {form} decoder sample", result["expression"].shape == (1, n_genes), result["expression"].shape)
        sums = {key: sum(v for v in values.values() if v is not None) for key, values in probs.items()}
        check(f"{predict_id} {form} probabilities sum to 1", all(abs(s - 1) < 1e-6 for s in sums.values()), sums)
        check(f"{predict_id} {form} metadata", len(metadata) > 0, metadata)

    conditioning_id = f"{model}_reference-conditioning"
    example = pysynthbio.get_example_query(conditioning_id, api_base_url=base_url)["example_query"]
    n_samples = sum(item["num_samples"] for item in example["inputs"])
    reference_total = sum(example["inputs"][0]["counts"])
    results = []
    for self_hosted in (False, True):
        form = "self-hosted" if self_hosted else "hosted"
        result = pysynthbio.predict_query(
            dict(example), model_id=conditioning_id, api_base_url=base_url,
            poll_interval_seconds=1, poll_timeout_seconds=120, self_hosted=self_hosted,
        )
        expression, metadata = result["expression"], result["metadata"]
        check(f"{conditioning_id} {form} shape", expression.shape == (n_samples, n_genes), expression.shape)
        total = expression.to_numpy().sum(axis=1)
        check(f"{conditioning_id} {form} library = reference sum", all(abs(t - reference_total) <= 0.01 * reference_total + n_genes for t in total), (total, reference_total))
        check(f"{conditioning_id} {form} latents", len(result["latents"]) == n_samples, result["latents"])
        for key, value in example["inputs"][0]["metadata"].items():
            check(f"{conditioning_id} {form} echoes {key}", (metadata[key] == value).all(), metadata)
        results.append(expression.to_numpy())
    check(f"{conditioning_id} hosted and self-hosted agree", (results[0] == results[1]).all())

    bad = dict(example)
    bad["inputs"] = [dict(example["inputs"][0], metadata={"tissue_ontology_id": "UBERON:0002107"})]
    try:
        pysynthbio.predict_query(bad, model_id=conditioning_id, api_base_url=base_url)
    except pysynthbio.ValidationError as error:
        check(f"{conditioning_id} non-perturbation metadata refused", "inputs[0].metadata.tissue_ontology_id" in str(error), str(error))
    else:
        check(f"{conditioning_id} non-perturbation metadata raises", False, "no error")

print("all pysynthbio family checks passed")
