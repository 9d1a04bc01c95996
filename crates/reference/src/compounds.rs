//! Small molecules keyed by ChEMBL id, with ChEBI, DrugBank and name cross-references (ChEMBL
//! names, ChEBI-to-ChEMBL map, DrugBank mappings, LINCS small molecules)

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use crate::error::ReferenceError;
use crate::text::{columns, normalise_name, read_text, split_csv, split_list};

/// One compound
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Compound {
    /// ChEMBL id (`CHEMBL941`)
    pub chembl_id: String,
    /// ChEMBL preferred name (`IMATINIB`), if any
    pub name: Option<String>,
    /// ChEBI numbers mapped to this ChEMBL id (`45783`)
    pub chebi_ids: Vec<u64>,
    /// DrugBank ids (`DB00619`)
    pub drugbank_ids: Vec<String>,
    /// Other names (DrugBank, LINCS)
    pub synonyms: Vec<String>,
    /// The ChEMBL name as DrugBank or LINCS write it (`Imatinib`), when one of them does
    pub display_name: Option<String>,
}

impl Compound {
    /// The best human label: the display name, else the ChEMBL name, else the first synonym,
    /// else the ChEMBL id
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .or(self.name.as_deref())
            .or(self.synonyms.first().map(String::as_str))
            .unwrap_or(&self.chembl_id)
    }
}

/// Compounds with look-ups by ChEMBL, ChEBI and DrugBank id and by name
#[derive(Debug, Clone, Default)]
pub struct CompoundTable {
    compounds: Vec<Compound>,
    by_chembl: HashMap<String, usize>,
    by_chebi: HashMap<u64, usize>,
    by_drugbank: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

/// The ChEMBL ids, ChEBI numbers and names of one DrugBank id, in file order
type DrugBankEntry = (Vec<String>, Vec<u64>, Vec<String>);

/// One LINCS small molecule; other fields are skipped
#[derive(serde::Deserialize)]
struct LincsMolecule {
    #[serde(rename = "Name", default)]
    name: String,
    #[serde(rename = "Alternative Names", default)]
    alternative_names: String,
    #[serde(rename = "ChEBI ID", default)]
    chebi: String,
    #[serde(rename = "ChEMBL ID", default)]
    chembl: String,
}

impl CompoundTable {
    /// No compounds
    pub fn new() -> CompoundTable {
        CompoundTable::default()
    }

    /// Reads `chembl_names.csv` (header chembl_id, pref_name, chebi_id)
    pub fn add_chembl_names<R: Read>(&mut self, reader: R) -> Result<(), ReferenceError> {
        const TABLE: &str = "ChEMBL names";
        let text = read_text(reader, TABLE)?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let [id_col, name_col, chebi_col] =
            columns(header, ',', ["chembl_id", "pref_name", "chebi_id"], TABLE)?;
        for (number, line) in lines.enumerate() {
            let fields = split_csv(line);
            let field = |column: usize| fields.get(column).map_or("", |f| f.trim());
            let chembl = field(id_col);
            if !chembl.starts_with("CHEMBL") {
                return Err(ReferenceError::Line {
                    table: TABLE,
                    line: number + 2,
                    detail: format!("chembl_id {chembl:?} does not start with CHEMBL"),
                });
            }
            let position = self.compound(chembl);
            let name = field(name_col);
            if !name.is_empty() {
                self.compounds[position].name = Some(name.to_owned());
                self.by_name.entry(normalise_name(name)).or_insert(position);
            }
            if let Ok(chebi) = field(chebi_col).parse::<u64>() {
                self.link_chebi(chebi, position);
            }
        }
        Ok(())
    }

    /// Reads `chebi_to_chembl.tsv` (header CHEBI, CHEMBL)
    pub fn add_chebi_to_chembl<R: Read>(&mut self, reader: R) -> Result<(), ReferenceError> {
        const TABLE: &str = "ChEBI to ChEMBL";
        let text = read_text(reader, TABLE)?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let [chebi_col, chembl_col] = columns(header, '\t', ["CHEBI", "CHEMBL"], TABLE)?;
        for (number, line) in lines.enumerate() {
            let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let cell = |column: usize| cells.get(column).copied().unwrap_or_default().trim();
            let chebi = cell(chebi_col)
                .trim_start_matches("CHEBI:")
                .parse::<u64>()
                .map_err(|_| ReferenceError::Line {
                    table: TABLE,
                    line: number + 2,
                    detail: format!("CHEBI {:?} is not a number", cell(chebi_col)),
                })?;
            let chembl = cell(chembl_col);
            if !chembl.starts_with("CHEMBL") {
                continue;
            }
            let position = self.compound(chembl);
            self.link_chebi(chebi, position);
        }
        Ok(())
    }

    /// Reads `drugbank_mappings.tsv` (header DRUGBANK_ID, NAMESPACE, ID, SOURCE; namespaces
    /// CHEMBL, CHEBI, NAME): a DrugBank entry joins the compound of its ChEMBL id (else of its
    /// ChEBI id) and adds its names as synonyms; entries that reach no compound are skipped
    pub fn add_drugbank_mappings<R: Read>(&mut self, reader: R) -> Result<(), ReferenceError> {
        const TABLE: &str = "DrugBank mappings";
        let text = read_text(reader, TABLE)?;
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let [db_col, namespace_col, id_col] =
            columns(header, '\t', ["DRUGBANK_ID", "NAMESPACE", "ID"], TABLE)?;
        let mut entries: BTreeMap<String, DrugBankEntry> = BTreeMap::new();
        for line in lines {
            let cells: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let cell = |column: usize| cells.get(column).copied().unwrap_or_default().trim();
            let entry = entries.entry(cell(db_col).to_owned()).or_default();
            let id = cell(id_col);
            match cell(namespace_col) {
                "CHEMBL" => push_new(&mut entry.0, id.to_owned()),
                "CHEBI" => {
                    if let Ok(chebi) = id.trim_start_matches("CHEBI:").parse::<u64>() {
                        push_new(&mut entry.1, chebi);
                    }
                }
                "NAME" => push_new(&mut entry.2, id.to_owned()),
                _ => {}
            }
        }
        for (drugbank, (chembls, chebis, names)) in entries {
            let position = match chembls.first() {
                Some(chembl) => Some(self.compound(chembl)),
                None => chebis
                    .iter()
                    .find_map(|chebi| self.by_chebi.get(chebi).copied()),
            };
            let Some(position) = position else {
                continue;
            };
            push_new(&mut self.compounds[position].drugbank_ids, drugbank.clone());
            self.by_drugbank.entry(drugbank).or_insert(position);
            for name in names {
                self.add_synonym(position, &name);
            }
        }
        Ok(())
    }

    /// Reads `lincs_small_molecules.json` (an object of molecules with Name, Alternative Names
    /// separated by `;`, ChEMBL ID as digits, ChEBI ID): names join the compound of the ChEMBL
    /// id (else of the ChEBI id)
    pub fn add_lincs_small_molecules<R: Read>(&mut self, reader: R) -> Result<(), ReferenceError> {
        const TABLE: &str = "LINCS small molecules";
        let text = read_text(reader, TABLE)?;
        let molecules: BTreeMap<String, LincsMolecule> =
            serde_json::from_str(&text).map_err(|error| ReferenceError::Json {
                table: TABLE,
                detail: error.to_string(),
            })?;
        for molecule in molecules.values() {
            let chembl = molecule.chembl.trim();
            let position = if chembl.is_empty() {
                molecule
                    .chebi
                    .trim()
                    .trim_start_matches("CHEBI:")
                    .parse::<u64>()
                    .ok()
                    .and_then(|chebi| self.by_chebi.get(&chebi).copied())
            } else if chembl.starts_with("CHEMBL") {
                Some(self.compound(chembl))
            } else {
                Some(self.compound(&format!("CHEMBL{chembl}")))
            };
            let Some(position) = position else {
                continue;
            };
            let names = std::iter::once(molecule.name.clone())
                .chain(split_list(&molecule.alternative_names, ';'));
            for name in names.filter(|name| !name.trim().is_empty()) {
                self.add_synonym(position, name.trim());
            }
        }
        Ok(())
    }

    /// The compound with this ChEMBL id (`CHEMBL941`, any case)
    pub fn by_chembl(&self, chembl_id: &str) -> Option<&Compound> {
        self.compounds
            .get(*self.by_chembl.get(&chembl_id.to_uppercase())?)
    }

    /// The compound of a ChEBI id (`CHEBI:45783` or `45783`)
    pub fn by_chebi(&self, chebi_id: &str) -> Option<&Compound> {
        let number: u64 = chebi_id
            .trim()
            .to_uppercase()
            .trim_start_matches("CHEBI:")
            .parse()
            .ok()?;
        self.compounds.get(*self.by_chebi.get(&number)?)
    }

    /// The compound of a DrugBank id (`DB00619`)
    pub fn by_drugbank(&self, drugbank_id: &str) -> Option<&Compound> {
        self.compounds
            .get(*self.by_drugbank.get(&drugbank_id.trim().to_uppercase())?)
    }

    /// The compound with this name (ChEMBL preferred names first, then DrugBank and LINCS
    /// names), ignoring case and punctuation
    pub fn by_name(&self, name: &str) -> Option<&Compound> {
        self.compounds
            .get(*self.by_name.get(&normalise_name(name))?)
    }

    /// The compound for any id or name: ChEMBL id, ChEBI id, DrugBank id, then name
    pub fn resolve(&self, text: &str) -> Option<&Compound> {
        self.by_chembl(text)
            .or_else(|| {
                text.to_uppercase()
                    .starts_with("CHEBI:")
                    .then(|| self.by_chebi(text))
                    .flatten()
            })
            .or_else(|| self.by_drugbank(text))
            .or_else(|| self.by_name(text))
    }

    /// Every compound
    pub fn compounds(&self) -> &[Compound] {
        &self.compounds
    }

    /// Number of compounds
    pub fn len(&self) -> usize {
        self.compounds.len()
    }

    /// Whether there are no compounds
    pub fn is_empty(&self) -> bool {
        self.compounds.is_empty()
    }

    /// Position of the compound with this ChEMBL id, created when new
    fn compound(&mut self, chembl_id: &str) -> usize {
        let chembl_id = chembl_id.to_uppercase();
        if let Some(&position) = self.by_chembl.get(&chembl_id) {
            return position;
        }
        let position = self.compounds.len();
        self.by_chembl.insert(chembl_id.clone(), position);
        self.compounds.push(Compound {
            chembl_id,
            ..Compound::default()
        });
        position
    }

    /// Records that ChEBI `chebi` is compound `position` (the first mapping of a ChEBI id wins)
    fn link_chebi(&mut self, chebi: u64, position: usize) {
        push_new(&mut self.compounds[position].chebi_ids, chebi);
        self.by_chebi.entry(chebi).or_insert(position);
    }

    /// Adds a name to a compound's synonyms (unless it is its name) and to the name look-up
    fn add_synonym(&mut self, position: usize, name: &str) {
        let key = normalise_name(name);
        if key.is_empty() {
            return;
        }
        self.by_name.entry(key.clone()).or_insert(position);
        let compound = &mut self.compounds[position];
        let is_name = compound.name.as_deref().map(normalise_name) == Some(key.clone());
        if is_name && compound.display_name.is_none() {
            compound.display_name = Some(name.to_owned());
        }
        let known = compound
            .name
            .iter()
            .chain(&compound.synonyms)
            .any(|existing| normalise_name(existing) == key);
        if !known {
            compound.synonyms.push(name.to_owned());
        }
    }
}

/// Pushes `value` unless already present
fn push_new<T: PartialEq>(values: &mut Vec<T>, value: T) {
    if !values.contains(&value) {
        values.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CompoundTable {
        let mut table = CompoundTable::new();
        table
            .add_chembl_names(
                "chembl_id,pref_name,chebi_id\nCHEMBL941,IMATINIB,45783\nCHEMBL1642,IMATINIB MESYLATE,31690\nCHEMBL418,\"2,4-DISULFAMYL\",\n"
                    .as_bytes(),
            )
            .expect("names");
        table
            .add_chebi_to_chembl("CHEBI\tCHEMBL\n45783\tCHEMBL941\n49441\tCHEMBL5\n".as_bytes())
            .expect("chebi");
        table
            .add_drugbank_mappings(
                "DRUGBANK_ID\tNAMESPACE\tID\tSOURCE\nDB00619\tCHEBI\t31690\tchebi\nDB00619\tCHEMBL\tCHEMBL941\tdrugbank\nDB00619\tNAME\tImatinib\tdrugbank\nDB99999\tCHEBI\t49441\tchebi\nDB99999\tNAME\tFive\tdrugbank\nDB00000\tNAME\tNowhere\tdrugbank\n"
                    .as_bytes(),
            )
            .expect("drugbank");
        table
            .add_lincs_small_molecules(
                r#"{"10023-103": {"Name": "Imatinib", "Alternative Names": "Gleevec; Glivec; STI-571", "ChEBI ID": "", "ChEMBL ID": "941", "SMILES": "C"},
                    "1-1": {"Name": "Unmapped", "Alternative Names": "", "ChEBI ID": "", "ChEMBL ID": ""}}"#
                    .as_bytes(),
            )
            .expect("lincs");
        table
    }

    #[test]
    fn cross_references_meet_at_the_chembl_id() {
        let table = table();
        let id = |compound: Option<&Compound>| compound.map(|c| c.chembl_id.clone());
        assert_eq!(id(table.by_name("imatinib")).as_deref(), Some("CHEMBL941"));
        assert_eq!(id(table.by_name("Gleevec")).as_deref(), Some("CHEMBL941"));
        assert_eq!(id(table.by_name("sti571")).as_deref(), Some("CHEMBL941"));
        assert_eq!(
            id(table.by_chebi("CHEBI:45783")).as_deref(),
            Some("CHEMBL941")
        );
        assert_eq!(id(table.by_chebi("31690")).as_deref(), Some("CHEMBL1642"));
        assert_eq!(
            id(table.by_drugbank("db00619")).as_deref(),
            Some("CHEMBL941")
        );
        assert_eq!(
            id(table.by_drugbank("DB99999")).as_deref(),
            Some("CHEMBL5"),
            "via ChEBI"
        );
        assert_eq!(id(table.resolve("chembl418")).as_deref(), Some("CHEMBL418"));
        assert_eq!(
            id(table.resolve("2,4-disulfamyl")).as_deref(),
            Some("CHEMBL418")
        );
        assert!(table.by_drugbank("DB00000").is_none());
        let imatinib = table.by_chembl("CHEMBL941").expect("present");
        assert_eq!(imatinib.chebi_ids, vec![45783]);
        assert_eq!(imatinib.synonyms, vec!["Gleevec", "Glivec", "STI-571"]);
        assert_eq!(imatinib.label(), "Imatinib");
        assert_eq!(
            table.by_chembl("CHEMBL1642").map(Compound::label),
            Some("IMATINIB MESYLATE")
        );
    }

    #[test]
    fn malformed_tables_are_errors() {
        let mut table = CompoundTable::new();
        assert!(table.add_chembl_names("id,name\n".as_bytes()).is_err());
        assert!(
            table
                .add_chembl_names("chembl_id,pref_name,chebi_id\nX1,a,\n".as_bytes())
                .is_err()
        );
        assert!(
            table
                .add_chebi_to_chembl("CHEBI\tCHEMBL\nabc\tCHEMBL1\n".as_bytes())
                .is_err()
        );
        assert!(table.add_lincs_small_molecules("[1]".as_bytes()).is_err());
    }
}
