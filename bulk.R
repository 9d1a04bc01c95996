library(rsynthbio)
q <- jsonlite::fromJSON('{"sampling_strategy": "sample generation", "seed": 1, "inputs": [{"metadata": {"tissue_ontology_id": "UBERON:0002107"}, "num_samples": 4}]}', simplifyVector = FALSE)
r <- predict_query(q, model_id = "gem-1-bulk", api_base_url = Sys.getenv("BASE"), poll_interval_seconds = 1)
cat("bulk:", dim(r$expression), "metadata columns:", names(r$metadata), "\n")
