//! Command-line arguments (clap derive): every option is documented in `--help`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, RangedU64ValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use synthome_formats::Format;

/// Synthetic RNA-seq expression from a description of biological conditions.
///
/// Queries use the Synthesize Bio baseline-model format; models are embedded in the binary.
/// Exit codes: 0 success, 1 runtime failure, 2 invalid input or usage.
#[derive(Debug, Parser)]
#[command(name = "synthome", version, about, long_about)]
pub struct Cli {
    /// Extra model bundle files to load besides the embedded ones (e.g. one you built with
    /// `synthome build-model`); one with the id of an embedded model replaces it.
    #[arg(
        long = "bundle",
        global = true,
        env = "SYNTHOME_BUNDLES",
        value_delimiter = ','
    )]
    pub bundles: Vec<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate expression profiles for a query.
    Generate(GenerateArgs),
    /// Check a query against a model and print every problem.
    Validate(ValidateArgs),
    /// List the values a model accepts for a metadata key: id<TAB>label<TAB>synonyms.
    Vocab(VocabArgs),
    /// List the embedded models.
    Models(ModelsArgs),
    /// Print a valid example query for a model.
    ExampleQuery(ExampleQueryArgs),
    /// Serve the web app and the model API (compatible with the official clients).
    Serve(ServeArgs),
    /// Build a model bundle from data tables.
    #[command(subcommand)]
    BuildModel(BuildModelCommand),
    /// Predict the metadata of the samples of a counts table (genes x samples or samples x genes).
    PredictMetadata(PredictMetadataArgs),
}

/// `synthome predict-metadata`.
#[derive(Debug, Args)]
pub struct PredictMetadataArgs {
    /// Model id or alias (gem-1-bulk, gem-1-sc; a `_predict-metadata` suffix is accepted).
    #[arg(long, short)]
    pub model: String,
    /// Counts table: CSV or TSV, genes (Ensembl ids or symbols) x samples or samples x genes; or .h5ad.
    #[arg(long, short)]
    pub counts: PathBuf,
    /// Print the full result JSON (classifier probabilities, latents) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Output path, or - for standard output (the default).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Seed (the prediction itself draws nothing).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// What `generate --format` writes: a format of `synthome-formats` (those the app has too), or
/// Parquet (the CLI only, cargo feature `parquet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// A format every front end writes.
    Result(Format),
    /// Two Parquet files (`crate::parquet_out`).
    #[cfg(feature = "parquet")]
    Parquet,
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputFormat::Result(format) => format.fmt(f),
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => f.write_str("parquet"),
        }
    }
}

/// The `--format` values: every [`Format`] by its name (and `parquet`), each with what it writes.
fn format_parser() -> impl TypedValueParser<Value = OutputFormat> {
    #[allow(unused_mut)]
    let mut values: Vec<PossibleValue> = Format::ALL
        .map(|format| PossibleValue::new(format.name()).help(writes(format)))
        .to_vec();
    #[cfg(feature = "parquet")]
    values
        .push(PossibleValue::new("parquet").help(
            "PATH.parquet (one row per sample, a column per gene) and PATH.metadata.parquet",
        ));
    PossibleValuesParser::new(values).try_map(|name| {
        #[cfg(feature = "parquet")]
        if name.eq_ignore_ascii_case("parquet") {
            return Ok(OutputFormat::Parquet);
        }
        name.parse::<Format>().map(OutputFormat::Result)
    })
}

/// What `synthome generate --format FORMAT` writes (see [`crate::output`]).
fn writes(format: Format) -> &'static str {
    match format {
        Format::Json => "The API result JSON (one document)",
        Format::Csv => "PATH.expression.csv, PATH.metadata.csv and PATH.provenance.json",
        Format::Tsv => "PATH.expression.tsv, PATH.metadata.tsv and PATH.provenance.json",
        Format::Gct => "GCT 1.3 with sample metadata and provenance as column annotations",
        Format::H5ad => "AnnData .h5ad",
        Format::Mex => "10x Matrix Market: a directory, or a .zip when PATH ends in .zip",
    }
}

/// Largest `--queue-size`: the queue is allocated up front.
const MAX_QUEUE_SIZE: u64 = 1_000_000;
/// Largest `--concurrency`: one worker task each.
const MAX_CONCURRENCY: u64 = 1024;

/// A count from 1 to `max`: larger or zero values are usage errors, not panics at start.
fn count_parser(max: u64) -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=max)
}

/// `synthome generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Model id or alias (synthome-bulk-v1, gem-1-bulk, synthome-sc-v1, gem-1-sc).
    #[arg(long, short)]
    pub model: String,
    /// Query JSON file, or - for standard input.
    #[arg(long, short)]
    pub query: PathBuf,
    /// Output format.
    #[arg(long, short, value_parser = format_parser(), default_value_t = OutputFormat::Result(Format::Json))]
    pub format: OutputFormat,
    /// Output path, or - for standard output (json and gct only). Default: - for json and gct.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Seed (overrides the query's); without either, one is drawn and reported.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Do not show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Threads generating at once (default: one per core); any number gives the same bytes.
    #[arg(long)]
    pub threads: Option<std::num::NonZeroUsize>,
}

impl GenerateArgs {
    /// The threads to generate on: `--threads`, else one per core.
    pub fn threads(&self) -> usize {
        self.threads
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, std::num::NonZeroUsize::get)
    }
}

/// `synthome validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model id or alias.
    #[arg(long, short)]
    pub model: String,
    /// Query JSON file, or - for standard input.
    #[arg(long, short)]
    pub query: PathBuf,
    /// Print the result as JSON (the API's 422 error shape when invalid).
    #[arg(long)]
    pub json: bool,
}

/// `synthome vocab`.
#[derive(Debug, Args)]
pub struct VocabArgs {
    /// Model id or alias.
    pub model: String,
    /// Metadata key (tissue_ontology_id, cell_type_ontology_id, sex, ...).
    pub key: String,
    /// Only terms matching this text (typo-tolerant; ids, labels and synonyms).
    #[arg(long, short)]
    pub search: Option<String>,
    /// Most terms to print with --search.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print JSON instead of tab-separated lines.
    #[arg(long)]
    pub json: bool,
}

/// `synthome models`.
#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// Print JSON (the `GET /api/models` answer) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `synthome example-query`.
#[derive(Debug, Args)]
pub struct ExampleQueryArgs {
    /// Model id or alias.
    pub model: String,
}

/// `synthome serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Where job records and results are kept (they survive a restart).
    #[arg(long, default_value = "synthome-data")]
    pub data_dir: PathBuf,
    /// Base URL clients reach this server at; downloadUrl is built from it.
    /// Default: http://ADDR.
    #[arg(long)]
    pub public_url: Option<String>,
    /// The built web app served at / (trunk's dist folder).
    #[arg(long, default_value = "dist")]
    pub app_dir: PathBuf,
    /// File of API keys, one per line; enables bearer-token auth.
    #[arg(long)]
    pub api_keys_file: Option<PathBuf>,
    /// API keys, comma-separated; enables bearer-token auth. Prefer the file: the environment
    /// of a process can be read by others.
    #[arg(long, env = "SYNTHOME_API_KEYS", hide_env_values = true)]
    pub api_keys: Option<String>,
    /// Extra origins allowed by CORS (repeatable); `*` allows any. The public URL's origin is
    /// always allowed.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body_bytes: usize,
    /// Most samples one query may ask for.
    #[arg(long, default_value_t = 10_000)]
    pub max_samples: u64,
    /// Most jobs waiting to run (1 to 1,000,000); more are refused with 503.
    #[arg(long, default_value_t = 64, value_parser = count_parser(MAX_QUEUE_SIZE))]
    pub queue_size: usize,
    /// Generations running at once (jobs and synchronous Arrow requests; 1 to 1,024).
    /// Default: the number of CPU cores.
    #[arg(long, value_parser = count_parser(MAX_CONCURRENCY))]
    pub concurrency: Option<usize>,
    /// How long finished results are kept, in seconds.
    #[arg(long, default_value_t = 24 * 3600)]
    pub result_ttl_secs: u64,
    /// Request log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Most jobs kept at once (waiting, running and finished); more are refused with 503.
    #[arg(long, default_value_t = 10_000)]
    pub max_jobs: usize,
    /// Most bytes of kept jobs' queries (held in memory); more are refused with 503.
    #[arg(long, default_value_t = 256 << 20)]
    pub max_query_bytes: usize,
    /// Most bytes of kept results on disk; once reached, new jobs are refused with 503.
    #[arg(long, default_value_t = 20 << 30)]
    pub max_result_bytes: u64,
    /// Most connections open at once; more are closed at once.
    #[arg(long, default_value_t = 256)]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers (and the longest idle keep-alive).
    #[arg(long, default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Seconds open requests get to finish after SIGTERM or Ctrl-C.
    #[arg(long, default_value_t = 10)]
    pub shutdown_timeout_secs: u64,
}

/// How request logs are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event.
    Json,
}

/// `synthome build-model`.
#[derive(Debug, Subcommand)]
pub enum BuildModelCommand {
    /// Build the bulk model bundle and its build report.
    Bulk(BuildArgs),
    /// Build the single-cell model bundle and its model card from the Kang 2018 PBMC counts,
    /// optionally with the realism report (train on 70% of the cells, compare with 30%).
    Sc(BuildScArgs),
}

/// Arguments of a single-cell model build.
#[derive(Debug, Args)]
pub struct BuildScArgs {
    /// Folder of input tables laid out like the shared data folder (single_cell/, reference/).
    #[arg(long)]
    pub data: PathBuf,
    /// Folder the bundle and model card (and the realism report) are written to.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the realism report (held-out cells vs generated cells).
    #[arg(long)]
    pub realism: bool,
    /// k-means clusters before annotation (more clusters than cell types).
    #[arg(long, default_value_t = 20)]
    pub clusters: usize,
    /// Seed of the k-means seeding.
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
}

/// Arguments of a model build.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder of input tables laid out like the shared data folder (bulk/, reference/).
    #[arg(long)]
    pub data: PathBuf,
    /// Folder the bundle, its sha256 and the build report are written to.
    #[arg(long)]
    pub out: PathBuf,
    /// Sample, run or well ids to leave out of training (comma-separated; for held-out tests).
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Most latent factors to keep.
    #[arg(long, default_value_t = 20)]
    pub max_factors: usize,
    /// A per-sample atlas: genes x samples counts (TSV, optionally gzipped, first column
    /// Ensembl ids). Needs --atlas-metadata.
    #[arg(long, requires = "atlas_metadata")]
    pub atlas_counts: Option<PathBuf>,
    /// The atlas's sample metadata (TSV: `sample` plus columns named like query metadata keys).
    #[arg(long, requires = "atlas_counts")]
    pub atlas_metadata: Option<PathBuf>,
    /// Bulk: leave the TCGA tumour-vs-normal table out (its licence is not stated by its
    /// source); the 19 cancers are then not modelled.
    #[arg(long)]
    pub without_tcga: bool,
}
