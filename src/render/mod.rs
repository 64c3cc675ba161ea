//! Stage 4: pages to HTML. One shared Tera instance; per-language text prepared once
//! (`prepare`), template values built once (`context`); each page then costs a comparison
//! (pair pages), a small context and a template render into a reused buffer.

pub mod context;
pub mod prepare;
pub mod sitemap;
pub mod templates;

use tera::{Context, Tera, Value};

use self::context::{obj, safe, text};
use self::prepare::{Lang, ProtocolText};
use crate::compare;
use crate::diagnostic::Diagnostic;
use crate::locale::Msg;
use crate::model::Site;
use crate::plan::{self, Kind, Page};

/// What does not change from page to page within one language.
struct LangData {
    protocols: Vec<ProtocolText>,
    /// Template values of each protocol and, per protocol, of each code.
    protocol_values: Vec<Value>,
    code_values: Vec<Vec<Value>>,
    t: Value,
    tp: Value,
    site: Value,
    /// Name and path of every protocol, for the header's navigation.
    nav: Value,
}

impl LangData {
    /// Everything one language's pages share: markdown is rendered here, once per code and
    /// language, and turned into template values once.
    fn new(site: &Site, locale: usize) -> LangData {
        let lang = Lang { site, locale };
        let loc = lang.loc();
        let not_stated = loc.html(Msg::NotStated);
        let protocols: Vec<ProtocolText> =
            site.protocols.iter().map(|p| lang.protocol(p)).collect();
        let code_values: Vec<Vec<Value>> = protocols
            .iter()
            .map(|pt| {
                pt.codes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| context::code(i, c, &not_stated))
                    .collect()
            })
            .collect();
        let protocol_values = protocols
            .iter()
            .zip(&site.protocols)
            .zip(&code_values)
            .map(|((pt, p), codes)| {
                let count =
                    loc.html_with(Msg::CodesCount, &[("count", &pt.codes.len().to_string())]);
                context::protocol(pt, &p.id, codes, &count)
            })
            .collect();
        let (t, tp) = context::words(loc);
        let site_value = obj([
            ("title_html", safe(&lang.text_html(&site.title))),
            ("title", text(&lang.plain(&site.title))),
            (
                "tagline_html",
                safe(
                    &site
                        .tagline
                        .as_ref()
                        .map(|t| lang.text_html(t))
                        .unwrap_or_default(),
                ),
            ),
            ("base_url", text(&site.base_url)),
        ]);
        let nav = Value::from(
            site.protocols
                .iter()
                .map(|p| {
                    obj([
                        ("name", text(&p.name)),
                        ("path", text(&format!("{}/", p.id))),
                    ])
                })
                .collect::<Vec<_>>(),
        );
        LangData {
            nav,
            protocols,
            protocol_values,
            code_values,
            t,
            tp,
            site: site_value,
        }
    }
}

/// The stylesheet every page links, under `assets/` (the default one ships with Versus).
pub const STYLESHEET: &str = "style.css";

/// Renders the pages of a validated site, one language at a time.
pub struct Renderer<'s> {
    site: &'s Site,
    tera: Tera,
}

/// One language of the site, ready to render its pages. Built per language and dropped
/// before the next, so memory holds one language's prepared text, not all of them.
pub struct Language<'r, 's> {
    renderer: &'r Renderer<'s>,
    pub locale: usize,
    data: LangData,
}

impl<'s> Renderer<'s> {
    pub fn new(site: &'s Site, tera: Tera) -> Renderer<'s> {
        Renderer { site, tera }
    }

    /// Prepares one language's shared data (see [`LangData::new`]).
    pub fn language(&self, locale: usize) -> Language<'_, 's> {
        Language {
            renderer: self,
            locale,
            data: LangData::new(self.site, locale),
        }
    }
}

impl Language<'_, '_> {
    /// The site title in a language, plain.
    fn site_title(&self) -> String {
        let site = self.renderer.site;
        site.title
            .get(self.locale, site.default_locale)
            .text
            .trim()
            .to_owned()
    }

    /// Fields every page has: language, words, links to the same page in every language.
    /// `root` is the relative path from the page to the site root (shared files, the language
    /// switcher); links to pages go through the language's root (`page.root`), so they keep
    /// the reader's language (SPEC §3).
    fn base_context(
        &self,
        kind: &str,
        url: &str,
        root: &str,
        title: String,
        description: String,
    ) -> Context {
        let site = self.renderer.site;
        let locale = self.locale;
        let loc = &site.locales[locale];
        let data = &self.data;
        let prefix = site.prefix(locale);
        let path = &url[prefix.len()..];
        let lang_root = if root.contains("://") {
            // The 404 page links absolutely: its roots are URLs.
            format!("{root}{}", prefix.trim_start_matches('/'))
                + if prefix.is_empty() { "" } else { "/" }
        } else {
            plan::root_of(path)
        };
        let mut alternates = Vec::with_capacity(site.locales.len());
        let mut languages = Vec::with_capacity(site.locales.len());
        for (i, other) in site.locales.iter().enumerate() {
            let sibling = format!("{}{path}", site.prefix(i));
            alternates.push(obj([
                ("hreflang", text(&other.html_lang)),
                ("href", text(&format!("{}{sibling}", site.base_url))),
            ]));
            languages.push(obj([
                ("name", text(&other.name)),
                ("lang", text(&other.html_lang)),
                (
                    "href",
                    text(&format!("{root}{}", sibling.trim_start_matches('/'))),
                ),
                ("current", Value::from(i == locale)),
            ]));
        }
        let mut ctx = Context::new();
        ctx.insert_value("lang", text(&loc.html_lang));
        ctx.insert_value("dir", text(loc.dir.as_str()));
        ctx.insert_value("t", data.t.clone());
        ctx.insert_value("tp", data.tp.clone());
        ctx.insert_value("site", data.site.clone());
        ctx.insert_value("protocols_nav", data.nav.clone());
        ctx.insert_value(
            "page",
            obj([
                ("kind", text(kind)),
                ("title", text(&title)),
                ("description", text(&description)),
                ("canonical", text(&format!("{}{url}", site.base_url))),
                ("x_default", text(&format!("{}{path}", site.base_url))),
                ("root", text(&lang_root)),
                ("site_root", text(root)),
                (
                    "stylesheet",
                    text(&format!("{root}{}/{STYLESHEET}", plan::ASSETS_DIR)),
                ),
                ("alternates", Value::from(alternates)),
                ("languages", Value::from(languages)),
            ]),
        );
        ctx
    }

    /// Renders one page of this language into `out` (cleared first).
    pub fn render(&self, page: Page, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        out.clear();
        let site = self.renderer.site;
        let locale = self.locale;
        debug_assert_eq!(page.locale, locale);
        let loc = &site.locales[locale];
        let data = &self.data;
        let url = plan::url_of(site, page);
        let root = plan::root_of(&url);
        let site_title = self.site_title();
        let with_site = |t: String| format!("{t} | {site_title}");
        let (template, ctx) = match page.kind {
            Kind::Home => {
                let title = match &site.tagline {
                    Some(t) => format!(
                        "{site_title}: {}",
                        t.get(locale, site.default_locale).text.trim()
                    ),
                    None => site_title.clone(),
                };
                let mut ctx = self.base_context(
                    page.kind.name(),
                    &url,
                    &root,
                    title,
                    loc.get(Msg::HomeDescription).to_owned(),
                );
                ctx.insert_value("protocols", Value::from(data.protocol_values.clone()));
                ("home.html", ctx)
            }
            Kind::Protocol { p } => {
                let pt = &data.protocols[p as usize];
                let args = [
                    ("proto", pt.name.as_str()),
                    ("title", pt.title_plain.as_str()),
                ];
                let count = pt.codes.len().to_string();
                let title = with_site(loc.text(Msg::ProtocolTitle, &args));
                let description = loc.text(
                    Msg::ProtocolDescription,
                    &[args[0], args[1], ("count", &count)],
                );
                let mut ctx = self.base_context(page.kind.name(), &url, &root, title, description);
                ctx.insert_value("protocol", data.protocol_values[p as usize].clone());
                ("protocol.html", ctx)
            }
            Kind::Code { p, c } => {
                let pt = &data.protocols[p as usize];
                let ct = &pt.codes[c as usize];
                let args = [
                    ("proto", pt.name.as_str()),
                    ("code", ct.id.as_str()),
                    ("name", ct.name_plain.as_str()),
                ];
                let title = with_site(loc.text(Msg::CodeTitle, &args));
                let description = loc.text(
                    Msg::CodeDescription,
                    &[args[0], args[1], args[2], ("summary", &ct.summary_plain)],
                );
                let mut ctx = self.base_context(page.kind.name(), &url, &root, title, description);
                let codes = &data.code_values[p as usize];
                ctx.insert_value("protocol", data.protocol_values[p as usize].clone());
                ctx.insert_value("code", codes[c as usize].clone());
                ctx.insert_value(
                    "compare_with",
                    safe(&loc.html_with(Msg::CompareWith, &[("code", &ct.id)])),
                );
                ("code.html", ctx)
            }
            Kind::Pair { p, a, b } => {
                let pt = &data.protocols[p as usize];
                let (ca, cb) = (&pt.codes[a as usize], &pt.codes[b as usize]);
                let args = [
                    ("proto", pt.name.as_str()),
                    ("a", ca.id.as_str()),
                    ("a_name", ca.name_plain.as_str()),
                    ("b", cb.id.as_str()),
                    ("b_name", cb.name_plain.as_str()),
                ];
                let title = with_site(loc.text(Msg::PairTitle, &args));
                let description = loc.text(Msg::PairDescription, &args);
                let mut ctx = self.base_context(page.kind.name(), &url, &root, title, description);
                let cmp = compare::compare(&pt.name, &pt.fact_labels, ca, cb, loc);
                let codes = &data.code_values[p as usize];
                let related: Vec<Value> = related_pairs(codes.len() as u32, a, b)
                    .into_iter()
                    .map(|(x, y)| {
                        obj([
                            ("path", text(&pair_path(site, p, x, y))),
                            ("a", codes[x.min(y) as usize].clone()),
                            ("b", codes[x.max(y) as usize].clone()),
                        ])
                    })
                    .collect();
                ctx.insert_value("protocol", data.protocol_values[p as usize].clone());
                ctx.insert_value("a", codes[a as usize].clone());
                ctx.insert_value("b", codes[b as usize].clone());
                ctx.insert_value("cmp", context::comparison(&cmp));
                ctx.insert_value("references", context::merged_references(ca, cb));
                ctx.insert_value("related", Value::from(related));
                ("pair.html", ctx)
            }
        };
        self.renderer
            .tera
            .render_to(template, &ctx, &mut *out)
            .map_err(|e| templates::template_error(&e, |_| None))
    }

    /// `404.html`, with absolute links since hosts serve it at any path. Written once, in
    /// the default language.
    pub fn render_not_found(&self, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        out.clear();
        let site = self.renderer.site;
        let locale = self.locale;
        let loc = &site.locales[locale];
        let root = format!("{}/", site.base_url);
        let title = format!("{} | {}", loc.get(Msg::NotFoundTitle), self.site_title());
        let mut ctx = self.base_context(
            "404",
            "/",
            &root,
            title,
            loc.get(Msg::NotFoundText).to_owned(),
        );
        ctx.insert_value("protocols", Value::from(self.data.protocol_values.clone()));
        self.renderer
            .tera
            .render_to("404.html", &ctx, &mut *out)
            .map_err(|e| templates::template_error(&e, |_| None))
    }
}

/// The path of the pair page of codes `x` and `y` (either order), relative to the root.
fn pair_path(site: &Site, p: u32, x: u32, y: u32) -> String {
    let kind = Kind::Pair {
        p,
        a: x.min(y),
        b: x.max(y),
    };
    plan::path_of(site, kind).trim_start_matches('/').to_owned()
}

/// The nearest other comparisons of `a` and `b`: each code against the other's neighbours in
/// natural order (then each against its own neighbour, near the ends of the list).
/// Deterministic, at most four, never the pair itself.
pub fn related_pairs(n: u32, a: u32, b: u32) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(4);
    let candidates = [
        (a, b.checked_sub(1)),
        (a, Some(b + 1)),
        (b, a.checked_sub(1)),
        (b, Some(a + 1)),
        (b, Some(b + 1)),
        (a, a.checked_sub(1)),
    ];
    for (x, y) in candidates {
        let Some(y) = y else { continue };
        if y >= n || y == x || (x.min(y), x.max(y)) == (a, b) {
            continue;
        }
        let pair = (x.min(y), x.max(y));
        if !out.contains(&pair) && out.len() < 4 {
            out.push(pair);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_pairs_are_neighbours_and_never_the_pair_itself() {
        assert_eq!(
            related_pairs(10, 2, 5),
            vec![(2, 4), (2, 6), (1, 5), (3, 5)]
        );
        assert_eq!(related_pairs(2, 0, 1), Vec::<(u32, u32)>::new());
        assert_eq!(related_pairs(3, 0, 1), vec![(0, 2), (1, 2)]);
    }
}
