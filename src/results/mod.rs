//! The results feature: what the Results view shows of a result and what it saves. The files
//! a result is saved as ([`downloads`]) and their buttons ([`download_buttons`]), its ground
//! truth ([`ground_truth`]), plots ([`plots`]) and the whole-result statistics they draw from
//! ([`overview`]), differential expression ([`differential`]),
//! the sample metadata ([`metadata_table`]) and the expression table ([`expression_table`]),
//! both virtualised by [`virtual_scroll`];
//! [`choice`] is the drop-down the plots and the comparison choose with.

pub mod choice;
pub mod differential;
pub mod download_buttons;
pub mod downloads;
pub mod expression_table;
pub mod ground_truth;
pub mod metadata_table;
pub mod overview;
pub mod plots;
pub mod virtual_scroll;
