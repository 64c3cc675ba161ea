//! Versus: a static site generator for code-comparison sites ("FTP 200 vs 421").
//!
//! Data flows one way, one module per stage (see docs/architecture.md):
//! [`load`] (read every file of the site, parse YAML) → [`validate`] (into the [`model`], all
//! errors at once) → [`plan`] (every page, its URL and output path) → [`render`] (Tera, in
//! parallel; each page's text from [`localize`], a pair's wording from [`compare`]) →
//! [`write`] (one writer: a tree published by one atomic exchange). [`pipeline`] joins the
//! stages for the commands of [`cli`]; [`audit`] checks rendered pages for `versus check`.

#![forbid(unsafe_code)]

pub mod cli;
#[doc(hidden)]
pub mod fuzzing;

pub(crate) mod audit;
pub(crate) mod compare;
pub(crate) mod defaults;
pub(crate) mod diagnostic;
pub(crate) mod fingerprint;
pub(crate) mod hosts;
pub(crate) mod load;
pub(crate) mod locale;
pub(crate) mod localize;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod natural;
pub(crate) mod pattern;
pub(crate) mod pipeline;
pub(crate) mod plan;
pub(crate) mod progress;
pub(crate) mod prose;
pub(crate) mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod shard;
pub(crate) mod summary;
pub(crate) mod validate;
pub(crate) mod write;
