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

/// Renders `data` as a markdown field, block and inline. Must never panic, and the HTML,
/// read as a browser reads it, may hold only the plain elements a field renders to, with no
/// attribute but a link's `href` (http(s) or mailto) and a code block's language class: raw
/// HTML is escaped, other links dropped, images reduced to their alt text.
pub fn markdown(data: &[u8]) {
    const ELEMENTS: &[&[u8]] = &[
        b"p",
        b"em",
        b"strong",
        b"code",
        b"pre",
        b"a",
        b"ul",
        b"ol",
        b"li",
        b"blockquote",
        b"br",
        b"hr",
        b"del",
    ];
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    for html in [markdown::block(src), markdown::inline(src)] {
        for token in html5gum::Tokenizer::new(html.as_str()).flatten() {
            let html5gum::Token::StartTag(tag) = token else {
                continue;
            };
            let name = String::from_utf8_lossy(&tag.name);
            assert!(
                ELEMENTS.contains(&&tag.name[..]),
                "<{name}> in {html:?} from {src:?}"
            );
            for (attr, value) in &tag.attributes {
                let value = String::from_utf8_lossy(&value.value).to_ascii_lowercase();
                match &attr[..] {
                    b"href" => assert!(
                        value.starts_with("http://")
                            || value.starts_with("https://")
                            || value.starts_with("mailto:"),
                        "a link to {value:?} in {html:?} from {src:?}"
                    ),
                    b"class" if &tag.name[..] == b"code" => {}
                    b"start" if &tag.name[..] == b"ol" => {}
                    b"title" if &tag.name[..] == b"a" => {}
                    other => panic!(
                        "attribute {} on <{name}> in {html:?} from {src:?}",
                        String::from_utf8_lossy(other)
                    ),
                }
            }
        }
        let _ = markdown::plain_html(&html);
    }
}
