//! The integration tests: real sites built into temporary folders by the real `versus`
//! binary. One test binary (as ripgrep and mdBook have), one module per subject.

mod common;

mod architecture;
mod build;
mod docs;
mod errors;
mod fallback;
mod fuzzed;
mod incremental;
mod links;
mod odd_site;
mod pages;
mod properties;
mod safety;
mod schemes;
mod structured;
mod workflow;
