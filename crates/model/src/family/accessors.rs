//! The accessors every model offers, written once as a macro (inherent methods, so
//! `<Model>::card(model)` and the rest stay callable by path)

/// Implements `params`, `card`, `vocabulary`, `genes` and `n_genes` on `$model`, a struct with
/// the fields `params: $params` (whose `card` and `vocabulary` fields are the model's card and
/// vocabulary) and `genes: Arc<GeneTable>`; the invoking crate depends on `synthome-matrix`
/// and `synthome-vocab`
#[macro_export]
macro_rules! model_accessors {
    ($model:ty, $params:ty) => {
        impl $model {
            /// The parameters
            pub fn params(&self) -> &$params {
                &self.params
            }

            /// Id, alias, version, summary and licence
            pub fn card(&self) -> &$crate::ModelCard {
                &self.params.card
            }

            /// The values the model accepts, per metadata key
            pub fn vocabulary(&self) -> &::synthome_vocab::Vocabulary {
                &self.params.vocabulary
            }

            /// The genes, in output order
            pub fn genes(&self) -> &::std::sync::Arc<::synthome_matrix::GeneTable> {
                &self.genes
            }

            /// Number of genes
            pub fn n_genes(&self) -> usize {
                self.genes.len()
            }
        }
    };
}
