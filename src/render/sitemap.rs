//! `sitemap.xml` with hreflang alternates for every URL (a sitemap index with children once
//! a file would pass 50,000 URLs or 45 MB), and `robots.txt` naming it. Streamed from the
//! plan into a sink the writer provides: no page is rendered or held for it.

use std::io;

use crate::fingerprint::Fingerprint;
use crate::locale::escape;
use crate::model::{Fallback, SITEMAP, Site};
use crate::plan::{self, Page, Plan};

/// The sitemap protocol's limits per file (50,000 URLs, 50 MB), with room to spare on size.
const MAX_URLS: usize = 50_000;
const MAX_BYTES: usize = 45 * 1024 * 1024;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One `<url>` entry: the page in one language with its alternates in every language it is
/// listed in.
fn entry(site: &Site, page: Page, escaped: &Escaped, out: &mut String) {
    let path = escape(&plan::path_of(site, page.kind));
    let url = |out: &mut String, prefix: &str| {
        out.push_str(&escaped.base);
        out.push_str(prefix);
        out.push_str(&path);
    };
    out.push_str("<url><loc>");
    url(out, &escaped.prefixes[page.locale.get()]);
    out.push_str("</loc>");
    for i in site.locale_ids().filter(|&i| {
        i == page.locale
            || plan::listed(
                site,
                Page {
                    kind: page.kind,
                    locale: i,
                },
            )
    }) {
        out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
        out.push_str(&escaped.langs[i.get()]);
        out.push_str("\" href=\"");
        url(out, &escaped.prefixes[i.get()]);
        out.push_str("\"/>");
    }
    out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
    url(out, "");
    out.push_str("\"/></url>\n");
}

/// The site's base URL and each language's prefix and `html_lang`, escaped once for every
/// entry.
struct Escaped {
    base: String,
    prefixes: Vec<String>,
    langs: Vec<String>,
}

impl Escaped {
    fn new(site: &Site) -> Escaped {
        Escaped {
            base: escape(&site.base_url),
            prefixes: site.locale_ids().map(|i| escape(site.prefix(i))).collect(),
            langs: site.locales.iter().map(|l| escape(&l.html_lang)).collect(),
        }
    }
}

/// A fingerprint of everything the sitemap is made from: the base URL, the languages,
/// every protocol's codes, and which pages are listed.
pub(crate) fn key(site: &Site, plan: &Plan) -> u64 {
    let f = Fingerprint::new().str(&site.base_url);
    let f = site
        .locales
        .iter()
        .fold(f, |f, l| f.str(&l.id).str(&l.html_lang));
    let f = site.protocols.iter().fold(f, |f, p| {
        p.codes.iter().fold(f.str(&p.id), |f, c| f.str(&c.id))
    });
    let f = f.str(site.fallback.as_str());
    if site.fallback == Fallback::Show {
        return f.finish();
    }
    plan.pages()
        .fold(f, |f, page| f.u64(u64::from(plan::listed(site, page))))
        .finish()
}

/// How many URLs one sitemap file takes: 50,000, or fewer when the site's longest entry
/// (its longest URL with an alternate per language) times 50,000 would pass the size limit.
/// Fixed before writing, so the files a sitemap needs are known from the site alone.
pub(crate) fn per_file(site: &Site) -> usize {
    let longest_code = site
        .protocols
        .iter()
        .flat_map(|p| p.codes.iter().map(move |c| p.id.len() + c.id.len()))
        .max()
        .unwrap_or(0);
    let longest_prefix = site
        .locales
        .iter()
        .map(|l| l.id.len() + 1)
        .max()
        .unwrap_or(0);
    let url = site.base_url.len() + longest_prefix + 2 * longest_code + 8;
    let entry = (url + 60) * (site.locales.len() + 2);
    (MAX_BYTES / entry.max(1)).clamp(1, MAX_URLS)
}

/// How many URLs the sitemap lists: every listed page (see [`plan::listed`]).
pub(crate) fn count(site: &Site, plan: &Plan) -> usize {
    if site.fallback == crate::model::Fallback::Show {
        return plan.len();
    }
    plan.pages().filter(|&p| plan::listed(site, p)).count()
}

/// The names of the sitemap file(s) for `urls` URLs, `per_file` to a file: `sitemap.xml`,
/// plus `sitemap-N.xml` children when one file cannot hold them all.
pub(crate) fn names(urls: usize, per_file: usize) -> Vec<String> {
    let children = urls.div_ceil(per_file.max(1));
    let mut v: Vec<String> = if children > 1 {
        (1..=children).map(|i| format!("sitemap-{i}.xml")).collect()
    } else {
        Vec::new()
    };
    v.push(SITEMAP.to_owned());
    v
}

/// Where sitemap files go: called with a file's name and the next bytes of it, in order.
pub(crate) type Sink<'a> = dyn FnMut(&str, &[u8]) -> io::Result<()> + 'a;

/// Streams the sitemap file(s) into `sink`, `per_file` URLs to a file; returns their names
/// (those of [`names`]).
pub(crate) fn write(
    site: &Site,
    plan: &Plan,
    per_file: usize,
    sink: &mut Sink<'_>,
) -> io::Result<Vec<String>> {
    let names = names(count(site, plan), per_file);
    let per_file = per_file.max(1);
    let mut buf = String::with_capacity(64 * 1024);
    let flush = |name: &str, buf: &mut String, sink: &mut Sink<'_>| -> io::Result<()> {
        sink(name, buf.as_bytes())?;
        buf.clear();
        Ok(())
    };
    let mut pages = plan.pages().filter(|&p| plan::listed(site, p));
    let escaped = Escaped::new(site);
    for name in names.iter().filter(|n| *n != SITEMAP || names.len() == 1) {
        buf.push_str(URLSET_OPEN);
        for page in pages.by_ref().take(per_file) {
            entry(site, page, &escaped, &mut buf);
            if buf.len() > 60 * 1024 {
                flush(name, &mut buf, sink)?;
            }
        }
        buf.push_str(URLSET_CLOSE);
        flush(name, &mut buf, sink)?;
    }
    if names.len() > 1 {
        buf.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for name in &names[..names.len() - 1] {
            buf.push_str("<sitemap><loc>");
            buf.push_str(&escape(&site.base_url));
            buf.push('/');
            buf.push_str(name);
            buf.push_str("</loc></sitemap>\n");
        }
        buf.push_str("</sitemapindex>\n");
        flush(SITEMAP, &mut buf, sink)?;
    }
    Ok(names)
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}/{SITEMAP}\n",
        site.base_url
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// The sitemap of the test site, `per_file` URLs to a file, as files by name.
    fn files(per_file: usize) -> (Vec<String>, BTreeMap<String, String>) {
        let site = crate::model::tests::two_language_site();
        let plan = Plan::new(&site);
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        let names = write(&site, &plan, per_file, &mut |name, bytes| {
            out.entry(name.to_owned())
                .or_default()
                .push_str(std::str::from_utf8(bytes).unwrap());
            Ok(())
        })
        .unwrap();
        (names, out)
    }

    #[test]
    fn a_large_site_gets_an_index_of_child_sitemaps() {
        let site = crate::model::tests::two_language_site();
        let len = Plan::new(&site).len();
        let (written, files) = files(5);
        assert_eq!(written, names(len, 5));
        assert_eq!(written.len(), len.div_ceil(5) + 1);
        assert_eq!(files.len(), written.len());
        let index = &files[SITEMAP];
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://x.org/sitemap-1.xml</loc>"),
            "{index}"
        );
        let urls: usize = written[..written.len() - 1]
            .iter()
            .map(|n| files[n].matches("<url>").count())
            .sum();
        assert_eq!(urls, len);
    }

    #[test]
    fn a_small_site_has_one_sitemap_with_alternates() {
        let site = crate::model::tests::two_language_site();
        let len = Plan::new(&site).len();
        let (written, files) = files(per_file(&site));
        assert_eq!(written, vec![SITEMAP.to_owned()]);
        let map = &files[SITEMAP];
        assert_eq!(map.matches("<url>").count(), len);
        assert!(map.contains("<loc>https://x.org/zh/p/10-vs-11/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://x.org/p/10-vs-11/\"/><xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://x.org/zh/p/10-vs-11/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.org/p/10-vs-11/\"/></url>"), "{map}");
    }
}
