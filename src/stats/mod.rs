//! Statistics in the pure core: summaries of finite values and information-criterion model
//! comparison. Host-tested against hand-computed values.

pub mod basic;
pub mod compare;

pub use basic::{mean, std};
