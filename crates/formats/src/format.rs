//! The list of output formats, with their names as the CLI and the app spell them (the files
//! each is saved as: [`Format::files`]).

use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The API result JSON.
    Json,
    /// Comma-separated expression and metadata tables.
    Csv,
    /// Tab-separated expression and metadata tables.
    Tsv,
    /// GCT 1.3.
    Gct,
    /// AnnData HDF5.
    H5ad,
    /// 10x Matrix Market.
    Mex,
}

impl Format {
    /// Every format, in the order menus show them.
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Csv,
        Format::Tsv,
        Format::Gct,
        Format::H5ad,
        Format::Mex,
    ];

    /// The lower-case name (`json`, `csv`, ...), also the usual file extension except for `mex`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Gct => "gct",
            Format::H5ad => "h5ad",
            Format::Mex => "mex",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for an unknown format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {0:?}; valid formats are json, csv, tsv, gct, h5ad, mex")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| UnknownFormat(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_valid_ones() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
        }
        assert_eq!("H5AD".parse::<Format>(), Ok(Format::H5ad));
        let error = "xlsx"
            .parse::<Format>()
            .err()
            .map(|error| error.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "unknown output format \"xlsx\"; valid formats are json, csv, tsv, gct, h5ad, mex"
            )
        );
    }
}
