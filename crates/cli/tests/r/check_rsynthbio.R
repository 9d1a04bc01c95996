# Drives a running `synthome serve` with the official R client, rsynthbio, the way its users do:
# list_models, get_example_query, a bulk predict_query (hosted: predict, poll, download), the
# single-cell example query (which must come back within seconds, as in Python), an invalid query
# that must stop with the server's message, and the self-hosted (Arrow) form when the optional
# `arrow` package is installed.
# Usage: Rscript check_rsynthbio.R BASE_URL API_KEY N_GENES SC_MODEL_ID (query JSON on stdin;
# the invalid query in $SYNTHOME_INVALID_QUERY).

args <- commandArgs(trailingOnly = TRUE)
base_url <- args[[1]]
Sys.setenv(SYNTHESIZE_API_KEY = args[[2]])
n_genes <- as.integer(args[[3]])
sc_model <- args[[4]]

suppressPackageStartupMessages(library(rsynthbio))

check <- function(name, condition, detail = "") {
  if (!isTRUE(condition)) {
    cat("FAIL", name, ":", paste(capture.output(print(detail)), collapse = "\n"), "\n")
    quit(status = 1)
  }
  cat("ok", name, "\n")
}

stdin <- file("stdin")
query <- jsonlite::fromJSON(paste(readLines(stdin, warn = FALSE), collapse = "\n"),
                            simplifyVector = FALSE)
close(stdin)
n_samples <- sum(vapply(query$inputs, function(input) as.integer(input$num_samples), 0L))

models <- list_models(api_base_url = base_url)
check("list_models", "synthome-bulk-v1" %in% models$models$model_id, models)

example <- get_example_query("gem-1-bulk", api_base_url = base_url)
check("get_example_query", !is.null(example$example_query$inputs), example)

result <- predict_query(query, model_id = "gem-1-bulk", api_base_url = base_url,
                        poll_interval_seconds = 1, poll_timeout_seconds = 60)
check("bulk expression shape", identical(dim(result$expression), c(n_samples, n_genes)),
      dim(result$expression))
check("bulk gene ids", all(startsWith(colnames(result$expression), "ENSG")),
      head(colnames(result$expression)))
check("bulk counts", all(result$expression >= 0) && sum(result$expression) > 0)
check("bulk metadata rows", nrow(result$metadata) == n_samples, result$metadata)
check("bulk metadata has one sample_id column",
      sum(startsWith(names(result$metadata), "sample_id")) == 1, names(result$metadata))
check("bulk metadata echo",
      result$metadata$tissue_ontology_id[[1]] == query$inputs[[1]]$metadata$tissue_ontology_id,
      result$metadata)
check("bulk inferred sex", all(!is.na(result$metadata$sex)), result$metadata)

if (nzchar(sc_model)) {
  sc_query <- get_example_query(sc_model, api_base_url = base_url)$example_query
  started <- Sys.time()
  cells <- predict_query(sc_query, model_id = sc_model, api_base_url = base_url,
                         poll_interval_seconds = 1, poll_timeout_seconds = 120)
  seconds <- as.numeric(difftime(Sys.time(), started, units = "secs"))
  n_cells <- if (is.data.frame(sc_query$inputs)) {
    sum(sc_query$inputs$num_samples)
  } else {
    sum(vapply(sc_query$inputs, function(input) as.integer(input$num_samples), 0L))
  }
  check("single-cell expression rows", nrow(cells$expression) == n_cells, dim(cells$expression))
  check("single-cell metadata rows", nrow(cells$metadata) == n_cells, dim(cells$metadata))
  check("single-cell metadata has one sample_id column",
        sum(startsWith(names(cells$metadata), "sample_id")) == 1, names(cells$metadata))
  check(sprintf("single-cell example in %.1f s (under 60 s)", seconds), seconds < 60, seconds)
}

invalid <- jsonlite::fromJSON(Sys.getenv("SYNTHOME_INVALID_QUERY"), simplifyVector = FALSE)
outcome <- tryCatch({
  predict_query(invalid, model_id = "gem-1-bulk", api_base_url = base_url)
  "no error"
}, error = function(error) conditionMessage(error))
check("invalid query stops with the server's message",
      grepl("422", outcome) && grepl("UBERON:0002108", outcome), outcome)

if (requireNamespace("arrow", quietly = TRUE)) {
  hosted <- predict_query(query, model_id = "gem-1-bulk", api_base_url = base_url,
                          self_hosted = TRUE)
  check("self-hosted agrees with hosted (same seed)",
        all(as.matrix(hosted$expression) == as.matrix(result$expression)))
  check("self-hosted metadata has one sample_id column",
        sum(startsWith(names(hosted$metadata), "sample_id")) == 1, names(hosted$metadata))
} else {
  cat("skipped self-hosted form: the optional R package 'arrow' is not installed\n")
}

cat("all rsynthbio checks passed\n")
