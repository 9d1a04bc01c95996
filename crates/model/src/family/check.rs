//! Parameter errors and the checks a model's constructor runs on its parameters

/// Parameters that do not fit together (a builder or bundle bug, or a corrupt bundle)
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamsError {
    /// A per-gene vector has the wrong length
    #[error("{what} has {actual} values but the model has {expected} genes")]
    GeneCount {
        /// Which vector
        what: String,
        /// Its length
        actual: usize,
        /// The number of genes
        expected: usize,
    },
    /// An index points past the end of a table
    #[error("{what} refers to index {index} but there are only {len}")]
    Index {
        /// Which reference
        what: String,
        /// The index
        index: usize,
        /// The table length
        len: usize,
    },
    /// A value is not a finite number, or out of its range
    #[error("{what} is {value}, which is not valid: {rule}")]
    Value {
        /// Which value
        what: String,
        /// The offending value
        value: f64,
        /// What would be valid
        rule: String,
    },
    /// The model has no training data to generate from or fill unspecified keys from
    #[error("the model has no {what}; at least {needed} is needed")]
    NoTrainingData {
        /// What the model has none of (`training conditions`)
        what: &'static str,
        /// What the smallest model has (`one`)
        needed: &'static str,
    },
}

/// The checks of a model with `n_genes` genes; each names the value it rejects
#[derive(Debug, Clone, Copy)]
pub struct ParamsCheck {
    n_genes: usize,
}

impl ParamsCheck {
    /// Checks for a model with this many genes
    pub fn new(n_genes: usize) -> ParamsCheck {
        ParamsCheck { n_genes }
    }

    /// `what` has one value per gene
    pub fn per_gene(&self, what: &str, len: usize) -> Result<(), ParamsError> {
        if len == self.n_genes {
            Ok(())
        } else {
            Err(ParamsError::GeneCount {
                what: what.to_owned(),
                actual: len,
                expected: self.n_genes,
            })
        }
    }

    /// Every value of `what` is a finite number
    pub fn finite(&self, what: &str, values: &[f32]) -> Result<(), ParamsError> {
        match values.iter().find(|value| !value.is_finite()) {
            Some(bad) => Err(ParamsError::Value {
                what: what.to_owned(),
                value: f64::from(*bad),
                rule: "every value must be a finite number".to_owned(),
            }),
            None => Ok(()),
        }
    }

    /// Every value of `what` is a finite number at least `min`
    pub fn at_least(&self, what: &str, values: &[f32], min: f32) -> Result<(), ParamsError> {
        match values
            .iter()
            .find(|value| !value.is_finite() || **value < min)
        {
            Some(bad) => Err(ParamsError::Value {
                what: what.to_owned(),
                value: f64::from(*bad),
                rule: format!("every value must be a finite number >= {min}"),
            }),
            None => Ok(()),
        }
    }

    /// `index` points into a table of `len` entries
    pub fn index(&self, what: &str, index: usize, len: usize) -> Result<(), ParamsError> {
        if index < len {
            Ok(())
        } else {
            Err(ParamsError::Index {
                what: what.to_owned(),
                index,
                len,
            })
        }
    }

    /// `genes` are gene indices of the model, strictly increasing
    pub fn gene_indices(&self, what: &str, genes: &[u32]) -> Result<(), ParamsError> {
        if let Some(&gene) = genes.iter().find(|&&gene| gene as usize >= self.n_genes) {
            self.index(what, gene as usize, self.n_genes)?;
        }
        if genes.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(ParamsError::Value {
                what: what.to_owned(),
                value: f64::NAN,
                rule: "gene indices must be strictly increasing".to_owned(),
            });
        }
        Ok(())
    }
}
