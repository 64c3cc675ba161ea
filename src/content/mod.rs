//! The site's files as written: their serde shapes (`raw`, `text`) and how they are found
//! and parsed (`load`).

pub mod load;
pub mod raw;
pub mod text;
