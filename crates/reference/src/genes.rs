//! Human genes: GENCODE (Ensembl id, name, version, length, type) joined with HGNC (approved
//! symbol, aliases, previous symbols, Entrez id)

use std::collections::HashMap;
use std::io::Read;

use crate::error::ReferenceError;
use crate::text::{columns, read_text, split_csv, split_list};

/// One gene
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gene {
    /// Unversioned Ensembl gene id (`ENSG00000141510`)
    pub ensembl_id: String,
    /// HGNC approved symbol, else the GENCODE gene name (`TP53`)
    pub symbol: String,
    /// Ensembl gene version
    pub version: u32,
    /// Gene length in bases (GENCODE)
    pub length: u64,
    /// GENCODE gene type (`protein_coding`, `lncRNA`, ...)
    pub gene_type: String,
    /// NCBI Gene (Entrez) id, from HGNC
    pub entrez_id: Option<u64>,
    /// HGNC approved name (`tumor protein p53`)
    pub name: Option<String>,
    /// HGNC alias symbols
    pub aliases: Vec<String>,
    /// HGNC previous symbols
    pub previous_symbols: Vec<String>,
}

/// Genes with look-ups by Ensembl id, symbol, alias and Entrez id
#[derive(Debug, Clone, Default)]
pub struct GeneTable {
    genes: Vec<Gene>,
    by_ensembl: HashMap<String, usize>,
    by_symbol: HashMap<String, usize>,
    by_alias: HashMap<String, Vec<usize>>,
    by_entrez: HashMap<u64, usize>,
}

impl GeneTable {
    /// Reads the GENCODE table (CSV without header: gene_id, gene_name, gene_version,
    /// gene_length, gene_type); the first row of a repeated Ensembl id wins
    pub fn from_gencode<R: Read>(reader: R) -> Result<GeneTable, ReferenceError> {
        const TABLE: &str = "GENCODE genes";
        let text = read_text(reader, TABLE)?;
        let mut table = GeneTable::default();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields = split_csv(line);
            let bad = |detail: String| ReferenceError::Line {
                table: TABLE,
                line: number + 1,
                detail,
            };
            let [id, name, version, length, gene_type] = fields.as_slice() else {
                return Err(bad(format!(
                    "{} fields; expected 5 (gene_id, gene_name, gene_version, gene_length, gene_type)",
                    fields.len()
                )));
            };
            let ensembl_id = unversioned(id).to_owned();
            if table.by_ensembl.contains_key(&ensembl_id) {
                continue;
            }
            let version = version
                .parse()
                .map_err(|_| bad(format!("gene_version {version:?} is not a whole number")))?;
            let length = length
                .parse()
                .map_err(|_| bad(format!("gene_length {length:?} is not a whole number")))?;
            let position = table.genes.len();
            table.by_ensembl.insert(ensembl_id.clone(), position);
            let symbol = if name.is_empty() {
                ensembl_id.clone()
            } else {
                name.clone()
            };
            table
                .by_symbol
                .entry(symbol.to_uppercase())
                .or_insert(position);
            table.genes.push(Gene {
                ensembl_id,
                symbol,
                version,
                length,
                gene_type: gene_type.clone(),
                entrez_id: None,
                name: None,
                aliases: Vec::new(),
                previous_symbols: Vec::new(),
            });
        }
        Ok(table)
    }

    /// Joins HGNC entries (TSV with header) on their Ensembl id: approved symbols take over
    /// symbol look-ups, aliases and previous symbols become alias look-ups; entries whose
    /// Ensembl id is not in the table are skipped. Returns how many entries were joined.
    pub fn add_hgnc<R: Read>(&mut self, reader: R) -> Result<usize, ReferenceError> {
        const TABLE: &str = "HGNC entries";
        let text = read_text(reader, TABLE)?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let [
            symbol_col,
            name_col,
            alias_col,
            entrez_col,
            previous_col,
            ensembl_col,
        ] = columns(
            header,
            '\t',
            [
                "Approved symbol",
                "Approved name",
                "Alias symbols",
                "NCBI Gene ID(supplied by NCBI)",
                "Previous symbols",
                "Ensembl gene ID",
            ],
            TABLE,
        )?;
        let mut joined = 0;
        for line in lines {
            let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let cell = |column: usize| cells.get(column).copied().unwrap_or_default().trim();
            let Some(&position) = self.by_ensembl.get(unversioned(cell(ensembl_col))) else {
                continue;
            };
            joined += 1;
            let symbol = cell(symbol_col).to_owned();
            let entrez_id = cell(entrez_col).parse().ok();
            let aliases = split_list(cell(alias_col), ',');
            let previous_symbols = split_list(cell(previous_col), ',');
            let gene = &mut self.genes[position];
            if !symbol.is_empty() {
                gene.symbol = symbol.clone();
                self.by_symbol.insert(symbol.to_uppercase(), position);
            }
            gene.name = Some(cell(name_col).to_owned()).filter(|name| !name.is_empty());
            gene.entrez_id = entrez_id;
            if let Some(entrez) = entrez_id {
                self.by_entrez.insert(entrez, position);
            }
            for alias in aliases.iter().chain(&previous_symbols) {
                let positions = self.by_alias.entry(alias.to_uppercase()).or_default();
                if !positions.contains(&position) {
                    positions.push(position);
                }
            }
            gene.aliases = aliases;
            gene.previous_symbols = previous_symbols;
        }
        Ok(joined)
    }

    /// The gene with this Ensembl id (a `.version` suffix is ignored)
    pub fn by_ensembl(&self, id: &str) -> Option<&Gene> {
        self.genes.get(*self.by_ensembl.get(unversioned(id))?)
    }

    /// The gene whose approved symbol (or GENCODE name) is `symbol`, ignoring case
    pub fn by_symbol(&self, symbol: &str) -> Option<&Gene> {
        self.genes.get(*self.by_symbol.get(&symbol.to_uppercase())?)
    }

    /// The genes that have `alias` as an alias or previous symbol, ignoring case
    pub fn by_alias(&self, alias: &str) -> Vec<&Gene> {
        self.by_alias
            .get(&alias.to_uppercase())
            .map(|positions| {
                positions
                    .iter()
                    .filter_map(|&p| self.genes.get(p))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The gene for a symbol: the approved symbol, else an alias shared by no other gene
    pub fn resolve_symbol(&self, symbol: &str) -> Option<&Gene> {
        if let Some(gene) = self.by_symbol(symbol) {
            return Some(gene);
        }
        match self.by_alias(symbol).as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// The gene with this NCBI Gene (Entrez) id
    pub fn by_entrez(&self, entrez_id: u64) -> Option<&Gene> {
        self.genes.get(*self.by_entrez.get(&entrez_id)?)
    }

    /// Every gene, in GENCODE order
    pub fn genes(&self) -> &[Gene] {
        &self.genes
    }

    /// Number of genes
    pub fn len(&self) -> usize {
        self.genes.len()
    }

    /// Whether there are no genes
    pub fn is_empty(&self) -> bool {
        self.genes.is_empty()
    }
}

/// An Ensembl id without its `.version` suffix
fn unversioned(id: &str) -> &str {
    id.split_once('.').map_or(id, |(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENCODE: &str = "ENSG00000141510,TP53,19,2426,protein_coding\nENSG00000156127,BATF,9,24782,protein_coding\nENSG00000999999,\"ODD,NAME\",1,10,lncRNA\nENSG00000141510,TP53DUP,1,1,x\n";
    const HGNC: &str = "HGNC ID\tApproved symbol\tApproved name\tStatus\tAlias symbols\tNCBI Gene ID(supplied by NCBI)\tPrevious symbols\tEnsembl gene ID\n\
HGNC:11998\tTP53\ttumor protein p53\tApproved\tP53, LFS1\t7157\t\tENSG00000141510\n\
HGNC:1057\tBATF\tbasic leucine zipper ATF-like transcription factor\tApproved\tSFA-2, B-ATF\t10538\tOLDBATF\tENSG00000156127\n\
HGNC:1\tGONE\tnot in gencode\tApproved\tP53\t1\t\tENSG00000000001\n";

    fn table() -> GeneTable {
        let mut table = GeneTable::from_gencode(GENCODE.as_bytes()).expect("gencode");
        let joined = table.add_hgnc(HGNC.as_bytes()).expect("hgnc");
        assert_eq!(joined, 2);
        table
    }

    #[test]
    fn looks_up_by_every_id() {
        let table = table();
        assert_eq!(table.len(), 3);
        let tp53 = table.by_symbol("tp53").expect("symbol");
        assert_eq!(tp53.ensembl_id, "ENSG00000141510");
        assert_eq!(tp53.length, 2426);
        assert_eq!(tp53.name.as_deref(), Some("tumor protein p53"));
        assert_eq!(
            table
                .by_ensembl("ENSG00000141510.19")
                .map(|g| g.symbol.as_str()),
            Some("TP53")
        );
        assert_eq!(
            table.by_entrez(10538).map(|g| g.symbol.as_str()),
            Some("BATF")
        );
        assert_eq!(
            table.resolve_symbol("b-atf").map(|g| g.symbol.as_str()),
            Some("BATF")
        );
        assert_eq!(
            table.resolve_symbol("oldbatf").map(|g| g.symbol.as_str()),
            Some("BATF")
        );
        assert_eq!(
            table.by_symbol("ODD,NAME").map(|g| g.gene_type.as_str()),
            Some("lncRNA")
        );
        assert!(
            table.by_entrez(1).is_none(),
            "entries outside GENCODE are skipped"
        );
    }

    #[test]
    fn malformed_rows_name_the_line() {
        let error = GeneTable::from_gencode("ENSG1,A,1,10,x\nENSG2,B,one,10,x\n".as_bytes())
            .expect_err("bad version");
        assert_eq!(
            error.to_string(),
            "GENCODE genes line 2: gene_version \"one\" is not a whole number"
        );
        assert!(GeneTable::from_gencode("ENSG1,A\n".as_bytes()).is_err());
        let mut table = GeneTable::default();
        assert!(table.add_hgnc("just\tcolumns\n".as_bytes()).is_err());
    }
}
