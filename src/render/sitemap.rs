//! `sitemap.xml` with hreflang alternates for every URL (a sitemap index with children once
//! a file would pass 50,000 URLs or 45 MB), and `robots.txt` naming it. Written as a
//! stream from the plan: no page needs to be rendered or held for it.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::locale::escape;
use crate::model::Site;
use crate::plan::{self, Plan, SITEMAP};

/// The sitemap protocol's limits per file (50,000 URLs, 50 MB), with room to spare on size.
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

/// How many URLs one sitemap file takes: 50,000, or fewer when the site's longest entry
/// (its longest URL with an alternate per language) times 50,000 would pass the size limit.
/// Fixed before writing, so the files a sitemap needs are known from the site alone.
pub fn per_file(site: &Site) -> usize {
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

/// The names of the sitemap file(s) for `urls` URLs, `per_file` to a file: `sitemap.xml`,
/// plus `sitemap-N.xml` children when one file cannot hold them all.
pub fn names(urls: usize, per_file: usize) -> Vec<String> {
    let children = urls.div_ceil(per_file.max(1));
    let mut v: Vec<String> = if children > 1 {
        (1..=children).map(|i| format!("sitemap-{i}.xml")).collect()
    } else {
        Vec::new()
    };
    v.push(SITEMAP.to_owned());
    v
}

/// Writes the sitemap file(s) into `dir` and returns their names.
pub fn write(site: &Site, plan: &Plan, dir: &Path) -> io::Result<Vec<String>> {
    write_split(site, plan, dir, per_file(site))
}

/// [`write`] with `per_file` URLs to a file.
fn write_split(site: &Site, plan: &Plan, dir: &Path, per_file: usize) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    let mut current: Option<(BufWriter<File>, usize)> = None;
    let mut buf = String::with_capacity(1024);
    for page in plan.pages() {
        buf.clear();
        entry(site, &plan::path_of(site, page.kind), page.locale, &mut buf);
        if let Some((_, urls)) = &current
            && *urls >= per_file
            && let Some((mut w, _)) = current.take()
        {
            w.write_all(URLSET_CLOSE.as_bytes())?;
            w.flush()?;
        }
        let (w, urls) = match &mut current {
            Some(c) => c,
            None => {
                let name = format!("sitemap-{}.xml", names.len() + 1);
                let mut w = BufWriter::with_capacity(64 * 1024, File::create(dir.join(&name))?);
                w.write_all(URLSET_OPEN.as_bytes())?;
                names.push(name);
                current.insert((w, 0))
            }
        };
        w.write_all(buf.as_bytes())?;
        *urls += 1;
    }
    if let Some((mut w, _)) = current.take() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_site_gets_an_index_of_child_sitemaps() {
        let site = crate::model::tests::two_language_site();
        let plan = Plan::new(&site);
        let dir = tempfile::tempdir().unwrap();
        let written = write_split(&site, &plan, dir.path(), 5).unwrap();
        assert_eq!(written, names(plan.len(), 5));
        assert_eq!(written.len(), plan.len().div_ceil(5) + 1);
        let index = std::fs::read_to_string(dir.path().join(SITEMAP)).unwrap();
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://x.org/sitemap-1.xml</loc>"),
            "{index}"
        );
        let urls: usize = written[..written.len() - 1]
            .iter()
            .map(|n| {
                std::fs::read_to_string(dir.path().join(n))
                    .unwrap()
                    .matches("<url>")
                    .count()
            })
            .sum();
        assert_eq!(urls, plan.len());
    }

    #[test]
    fn a_small_site_has_one_sitemap_with_alternates() {
        let site = crate::model::tests::two_language_site();
        let plan = Plan::new(&site);
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            write(&site, &plan, dir.path()).unwrap(),
            vec![SITEMAP.to_owned()]
        );
        let map = std::fs::read_to_string(dir.path().join(SITEMAP)).unwrap();
        assert_eq!(map.matches("<url>").count(), plan.len());
        assert!(map.contains("<loc>https://x.org/zh/p/10-vs-11/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://x.org/p/10-vs-11/\"/><xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://x.org/zh/p/10-vs-11/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.org/p/10-vs-11/\"/></url>"), "{map}");
    }
}
