//! `sitemap.xml` with hreflang alternates for every URL (a sitemap index with children once
//! a file would pass 50,000 URLs or 45 MB), and `robots.txt` naming it. Written as a
//! stream from the plan: no page needs to be rendered or held for it.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::locale::escape;
use crate::model::Site;
use crate::plan::{self, Plan, SITEMAP};

/// The sitemap protocol's limits per file, with room to spare on size.
const MAX_URLS: usize = 50_000;
const MAX_BYTES: usize = 45 * 1024 * 1024;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// One `<url>` entry: the page in one language with its alternates in all.
fn entry(site: &Site, path: &str, locale: usize, out: &mut String) {
    let base = escape(&site.base_url);
    out.push_str("<url><loc>");
    out.push_str(&base);
    out.push_str(&escape(&site.prefix(locale)));
    out.push_str(&escape(path));
    out.push_str("</loc>");
    for (i, l) in site.locales.iter().enumerate() {
        out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
        out.push_str(&escape(&l.html_lang));
        out.push_str("\" href=\"");
        out.push_str(&base);
        out.push_str(&escape(&site.prefix(i)));
        out.push_str(&escape(path));
        out.push_str("\"/>");
    }
    out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
    out.push_str(&base);
    out.push_str(&escape(path));
    out.push_str("\"/></url>\n");
}

/// Writes the sitemap file(s) into `dir` and returns their names.
pub fn write(site: &Site, plan: &Plan, dir: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    let mut current: Option<(BufWriter<File>, usize, usize)> = None;
    let mut buf = String::with_capacity(1024);
    for page in plan.pages() {
        buf.clear();
        entry(site, &plan::path_of(site, page.kind), page.locale, &mut buf);
        if let Some((_, urls, bytes)) = &current
            && (*urls >= MAX_URLS || bytes + buf.len() + URLSET_CLOSE.len() > MAX_BYTES)
            && let Some((mut w, _, _)) = current.take()
        {
            w.write_all(URLSET_CLOSE.as_bytes())?;
            w.flush()?;
        }
        let (w, urls, bytes) = match &mut current {
            Some(c) => c,
            None => {
                let name = format!("sitemap-{}.xml", names.len() + 1);
                let mut w = BufWriter::with_capacity(64 * 1024, File::create(dir.join(&name))?);
                w.write_all(URLSET_OPEN.as_bytes())?;
                names.push(name);
                current.insert((w, 0, URLSET_OPEN.len()))
            }
        };
        w.write_all(buf.as_bytes())?;
        *urls += 1;
        *bytes += buf.len();
    }
    if let Some((mut w, _, _)) = current.take() {
        w.write_all(URLSET_CLOSE.as_bytes())?;
        w.flush()?;
    }
    if names.len() <= 1 {
        match names.first() {
            Some(only) => std::fs::rename(dir.join(only), dir.join(SITEMAP))?,
            None => std::fs::write(dir.join(SITEMAP), format!("{URLSET_OPEN}{URLSET_CLOSE}"))?,
        }
        return Ok(vec![SITEMAP.to_owned()]);
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for name in &names {
        index.push_str("<sitemap><loc>");
        index.push_str(&escape(&site.base_url));
        index.push('/');
        index.push_str(name);
        index.push_str("</loc></sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    std::fs::write(dir.join(SITEMAP), index)?;
    names.push(SITEMAP.to_owned());
    Ok(names)
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}/{SITEMAP}\n",
        site.base_url
    )
}
