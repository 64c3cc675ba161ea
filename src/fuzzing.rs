//! Entry points for the fuzz targets in `fuzz/` (`cargo +nightly fuzz run code_file`) and
//! for the regression tests that replay what they found (tests/integration/fuzzed.rs). Not
//! part of Versus's interface: each runs one stage on arbitrary bytes and panics only when
//! the stage breaks a promise.

use std::path::Path;

use crate::load::raw::RawCode;
use crate::load::yaml;
use crate::markdown;

/// Parses `data` as a code file, as `versus build` reads `content/<protocol>/<code>.yaml`,
/// and renders the message for a file that does not parse (with its source line, as the
/// command line shows it). Must never panic, whatever the bytes.
pub fn code_file(data: &[u8]) {
    let file = Path::new("content/fuzz/1.yaml");
    if let Err(d) = yaml::parse::<RawCode>(file, data) {
        let source = std::str::from_utf8(data).ok();
        let shown = d.render(source, false);
        assert!(shown.contains("content/fuzz/1.yaml"), "{shown}");
    }
}

/// Renders `data` as a markdown field, block and inline. Must never panic, and the HTML
/// must carry no element or link the content could use to run or fetch something: raw HTML
/// is escaped, links are http(s) or mailto only, images are their alt text.
pub fn markdown(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for html in [markdown::block(src), markdown::inline(src)] {
        let lower = html.to_ascii_lowercase();
        for tag in [
            "<script", "<img", "<iframe", "<style", "<object", "<embed", "<svg", "<form",
        ] {
            assert!(!lower.contains(tag), "{tag} in {html:?} from {src:?}");
        }
        for href in lower.split("href=\"").skip(1) {
            assert!(
                href.starts_with("http://")
                    || href.starts_with("https://")
                    || href.starts_with("mailto:"),
                "a link to {href:?} from {src:?}"
            );
        }
        let _ = markdown::plain_html(&html);
    }
}
