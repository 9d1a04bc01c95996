//! The encodings every bundle kind (bulk, single cell) shares: the `CARD` and `GENE` sections
//! and the list of metadata fields that describes a training condition
//!
//! - `CARD`: id, alias, version, summary, licence (strings)
//! - `GENE`: n, then n Ensembl ids, then n symbols (strings)
//! - metadata fields: n, then each key (a metadata key name, `synthome_query::MetadataKey` in
//!   the models) and value (strings)

use std::fmt::Display;
use std::str::FromStr;

use synthome_matrix::GeneTable;

use crate::card::ModelCard;
use crate::container::{ContainerError, FieldReader, FieldWriter};

/// The `CARD` section of `card`
pub fn write_card(card: &ModelCard) -> Vec<u8> {
    let mut out = FieldWriter::default();
    for text in [
        &card.id,
        &card.alias,
        &card.version,
        &card.summary,
        &card.licence,
    ] {
        out.str(text);
    }
    out.into_bytes()
}

/// Reads a `CARD` section
pub fn read_card(bytes: &[u8]) -> Result<ModelCard, ContainerError> {
    let mut input = FieldReader::new(bytes, "CARD");
    let card = ModelCard {
        id: input.str()?,
        alias: input.str()?,
        version: input.str()?,
        summary: input.str()?,
        licence: input.str()?,
    };
    input.finish()?;
    Ok(card)
}

/// The `GENE` section of `genes`
pub fn write_genes(genes: &GeneTable) -> Vec<u8> {
    let mut out = FieldWriter::default();
    out.len(genes.len());
    for id in genes.ids() {
        out.str(id);
    }
    for symbol in genes.symbols() {
        out.str(symbol);
    }
    out.into_bytes()
}

/// Reads a `GENE` section into its Ensembl ids and symbols (in that order), for
/// [`GeneTable::new`] to check
pub fn read_gene_columns(bytes: &[u8]) -> Result<(Vec<String>, Vec<String>), ContainerError> {
    let mut input = FieldReader::new(bytes, "GENE");
    let n = input.len(8)?;
    let ids = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
    let symbols = (0..n).map(|_| input.str()).collect::<Result<Vec<_>, _>>()?;
    input.finish()?;
    Ok((ids, symbols))
}

/// Writes metadata fields: their count, then each key (its name, as `Display` writes it) and
/// value
pub fn write_fields<K: Display>(out: &mut FieldWriter, fields: &[(K, String)]) {
    out.len(fields.len());
    for (key, value) in fields {
        out.str(&key.to_string());
        out.str(value);
    }
}

/// Reads metadata fields written by [`write_fields`]; a key name that `K` does not parse is an
/// error
pub fn read_fields<K: FromStr>(
    input: &mut FieldReader<'_>,
) -> Result<Vec<(K, String)>, ContainerError> {
    let n = input.len(8)?;
    let mut fields = Vec::with_capacity(n);
    for _ in 0..n {
        let key_name = input.str()?;
        let key: K = key_name
            .parse()
            .map_err(|_| input.corrupt(format!("{key_name:?} is not a metadata key")))?;
        fields.push((key, input.str()?));
    }
    Ok(fields)
}
