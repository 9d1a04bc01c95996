//! LINCS cell line metadata: the recorded sex of the cell lines later sources add (K562,
//! PANC-1, A375); lines it does not list are sexed from their profile

use crate::assembly::BulkAssembly;
use crate::error::BuildError;
use crate::read::lincs::read_cell_genders;

/// Reads the cell lines' recorded sexes if the table is present
pub(crate) fn add(assembly: &mut BulkAssembly<'_>) -> Result<(), BuildError> {
    if let Some(bytes) = assembly.files.bytes_if_present("bulk/lincs_cells.tsv.gz")? {
        assembly.sex.lincs_genders = read_cell_genders(bytes.as_slice(), "lincs_cells")?;
    }
    Ok(())
}
