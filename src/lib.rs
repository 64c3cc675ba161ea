//! Versus: a static site generator for code-comparison sites ("FTP 200 vs 421").
//!
//! Data flows one way, one module per stage:
//! [`content`] (load YAML) → [`validate`] (into the [`model`], all errors at once) →
//! [`plan`] (every page, URL and path) → [`render`] (Tera, in parallel; the wording of a
//! comparison comes from [`compare`]) → [`write`] (a fresh directory swapped in).
//! [`pipeline`] joins the stages for the commands in `main.rs`.

#![forbid(unsafe_code)]

pub mod audit;
pub mod compare;
pub mod content;
pub mod defaults;
pub mod diagnostic;
pub mod fingerprint;
pub mod incremental;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod natural;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod prose;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod validate;
pub mod write;
