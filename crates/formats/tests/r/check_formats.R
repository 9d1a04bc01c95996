# Reads the files written by the formats round-trip test with base R and the Matrix package
# (read.csv, read.delim, Matrix::readMM) and compares them with expected.<tag>.tsv.
# Usage: Rscript check_formats.R DIR. Prints one line per check; stops at the first mismatch.

args <- commandArgs(trailingOnly = TRUE)
root <- args[[1]]
suppressPackageStartupMessages(library(Matrix))

check <- function(name, condition) {
  if (!isTRUE(condition)) {
    cat("FAIL", name, "\n")
    quit(status = 1)
  }
  cat("ok", name, "\n")
}

for (tag in c("dense", "mean", "sparse")) {
  expected <- as.matrix(read.delim(file.path(root, paste0("expected.", tag, ".tsv")), row.names = 1, check.names = FALSE))
  meta_expected <- read.delim(file.path(root, paste0("expected.", tag, ".metadata.tsv")), colClasses = "character")

  csv <- as.matrix(read.csv(file.path(root, paste0(tag, ".expression.csv")), row.names = 1, check.names = FALSE))
  check(paste(tag, "csv dimnames"), identical(dimnames(csv), dimnames(expected)))
  check(paste(tag, "csv values"), isTRUE(all.equal(csv, expected, tolerance = 1e-6)))
  tsv <- as.matrix(read.delim(file.path(root, paste0(tag, ".expression.tsv")), row.names = 1, check.names = FALSE))
  check(paste(tag, "tsv values"), isTRUE(all.equal(tsv, expected, tolerance = 1e-6)))

  meta <- read.csv(file.path(root, paste0(tag, ".metadata.csv")), row.names = 1, colClasses = "character", check.names = FALSE)
  for (i in seq_len(nrow(meta_expected))) {
    row <- meta_expected[i, ]
    check(paste(tag, "metadata", row$sample_id, row$key), identical(meta[row$sample_id, row$key], row$value))
  }

  gct <- read.delim(file.path(root, paste0(tag, ".gct")), skip = 2, row.names = 1, check.names = FALSE, colClasses = "character")
  body <- gct[colnames(expected), rownames(expected)]
  values <- matrix(as.numeric(as.matrix(body)), nrow = nrow(body), dimnames = dimnames(body))
  check(paste(tag, "gct values"), isTRUE(all.equal(t(values), expected, tolerance = 1e-6)))
  check(paste(tag, "gct provenance"), gct["synthome_model_id", rownames(expected)[1]] == "synthome-bulk-v1")

  mex <- file.path(root, paste0(tag, ".mex"))
  mtx <- readMM(gzfile(file.path(mex, "matrix.mtx.gz")))
  features <- read.delim(gzfile(file.path(mex, "features.tsv.gz")), header = FALSE, colClasses = "character")
  barcodes <- read.delim(gzfile(file.path(mex, "barcodes.tsv.gz")), header = FALSE, colClasses = "character")
  dimnames(mtx) <- list(features$V1, barcodes$V1)
  check(paste(tag, "mex values"), isTRUE(all.equal(t(as.matrix(mtx)), expected, tolerance = 1e-6, check.attributes = TRUE)))
}
cat("all R format checks passed\n")
