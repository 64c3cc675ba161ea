//! Stage 4: a page to its path, bytes and key. One Tera instance for the site; per language,
//! the localized text and the template values every page shares are built once
//! ([`Language`]); a page then costs a comparison (pair pages), a small context and a
//! template render. A page's key fingerprints exactly the values its template receives
//! ([`keyed`]), so the writer can skip a page whose key has not changed without rendering
//! it. Nothing here reads or writes a file.

pub(crate) mod context;
pub(crate) mod keyed;
pub(crate) mod links;
pub(crate) mod pages;
pub(crate) mod sitemap;
pub(crate) mod structured;
pub(crate) mod templates;

use std::borrow::Cow;

use tera::Tera;

use self::context::span;
use self::keyed::{Keyed, KeyedContext};
use self::links::Link;
use crate::compare;
use crate::diagnostic::Diagnostic;
use crate::locale::{Msg, escape};
use crate::localize::{Lang, ProtocolText};
use crate::model::{ASSETS_DIR, CodeIdx, Fallback, LocaleIdx, ProtocolIdx, Site};
use crate::plan::{self, Kind, Page};

/// The stylesheet every page links, under `assets/` (the default one ships with Versus).
pub(crate) const STYLESHEET: &str = "style.css";

/// Where template parts live: `templates/code-parts/<name>.html`, a piece of a code's markup
/// that every page showing the code repeats (its card on each of its pair pages). A part is
/// rendered once per code and language, with what the code and the language are, and pages
/// print it as `code.parts.<name>` (`a.parts.card`): a pair page then costs a lookup for it
/// instead of laying it out again, the same for each of the code's pairs.
const PARTS: &str = "code-parts/";

/// The templates pages are rendered with, one per kind of page.
const PAGE_TEMPLATES: [&str; 5] = [
    "home.html",
    "protocol.html",
    "code.html",
    "pair.html",
    "404.html",
];

/// Renders the pages of a validated site.
pub(crate) struct Renderer<'s> {
    site: &'s Site,
    tera: Tera,
    /// Fingerprint of the templates, Versus's build and the asset names.
    templates_key: u64,
    /// The template parts (see [`PARTS`]), as (template, name), by name.
    parts: Vec<(String, String)>,
}

impl<'s> Renderer<'s> {
    /// A renderer of `site` with its compiled templates and their key (as
    /// [`templates::compile`] returns them).
    pub(crate) fn new(site: &'s Site, (tera, templates_key): (Tera, u64)) -> Renderer<'s> {
        let mut parts: Vec<(String, String)> = tera
            .get_template_names()
            .filter_map(|t| {
                let name = t.strip_prefix(PARTS)?.strip_suffix(".html")?;
                Some((t.to_owned(), name.to_owned()))
            })
            .collect();
        parts.sort_by(|a, b| a.1.cmp(&b.1));
        Renderer {
            site,
            tera,
            templates_key,
            parts,
        }
    }

    pub(crate) fn site(&self) -> &'s Site {
        self.site
    }

    /// Prepares one language: built per language and dropped after its pages, so memory
    /// holds at most two languages' text (`pages` prepares the next beside the current one).
    /// Fails when a template part does.
    pub(crate) fn language(&self, locale: LocaleIdx) -> Result<Language<'_, 's>, Diagnostic> {
        let mut language = Language::new(self, locale);
        language.render_parts()?;
        Ok(language)
    }
}

/// A page ready to render: where it goes, its key, and its template and context.
pub(crate) struct Job<'r> {
    /// The page of the plan (none for 404.html).
    pub page: Option<Page>,
    /// Relative to the output, `/`-separated: `zh/ftp/421/index.html`.
    pub path: String,
    pub key: u64,
    template: &'static str,
    ctx: tera::Context,
    tera: &'r Tera,
}

impl Job<'_> {
    /// Renders the page into `out` (cleared first).
    pub(crate) fn render(&self, out: &mut Vec<u8>) -> Result<(), Diagnostic> {
        out.clear();
        self.tera
            .render_to(self.template, &self.ctx, &mut *out)
            .map_err(|e| templates::template_error(&e, |_| None))
    }
}

/// What the pages of one language share.
pub(crate) struct Language<'r, 's> {
    renderer: &'r Renderer<'s>,
    locale: LocaleIdx,
    lang: Lang<'s>,
    text: Vec<ProtocolText>,
    t: Keyed,
    tp: Keyed,
    site_value: Keyed,
    nav: Keyed,
    languages: Keyed,
    /// `lang`, `dir` and the Open Graph locale (`zh_CN`) of the language.
    lang_dir_og: [Keyed; 3],
    /// A page's links back to the roots (see [`Roots`]), by its depth in its language: the
    /// home page, a protocol's index, a code or pair page.
    roots: [Roots; 3],
    /// The `html_lang` of every language of the site.
    every_lang: Keyed,
    /// The JSON-LD every page of the language shares.
    ld: structured::Parts,
    /// Per page template, a context with the values every page of the language has (see
    /// [`Language::shared_context`]): a page clones it and adds its own.
    shared: Vec<KeyedContext>,
    /// Per protocol: the value every page but its index gets, and the one its index gets
    /// (codes with their summaries, so an edited description re-renders only the pages that
    /// show it).
    protocols: Vec<(Keyed, Keyed)>,
    /// Per protocol, per code: the code with all its text, and as listed.
    codes: Vec<CodeValues>,
    /// Per protocol, per code: the comparisons a pair page of it may point to.
    related: Vec<Vec<Related>>,
}

impl<'r, 's> Language<'r, 's> {
    fn new(renderer: &'r Renderer<'s>, locale: LocaleIdx) -> Language<'r, 's> {
        let site = renderer.site;
        let lang = Lang { site, locale };
        let loc = lang.loc();
        let not_stated = loc.html(Msg::NotStated);
        let text: Vec<ProtocolText> = site.protocols.iter().map(|p| lang.protocol(p)).collect();
        let (protocols, codes): (Vec<(Keyed, Keyed)>, Vec<CodeValues>) = text
            .iter()
            .enumerate()
            .map(|(i, pt)| protocol_values(lang, ProtocolIdx::at(i), pt, &not_stated))
            .unzip();
        let related = text
            .iter()
            .zip(&codes)
            .enumerate()
            .map(|(i, (pt, values))| related_candidates(lang, ProtocolIdx::at(i), pt, values))
            .collect();
        let (t, tp) = context::words(loc);
        let site_value = site_value(lang);
        let languages = languages(site, locale);
        let ld = ld_parts(lang, &text);
        let nav = Keyed::list(site.protocols.iter().enumerate().map(|(i, p)| {
            let [path, hreflang] = Link::to(
                lang,
                Kind::Protocol {
                    p: ProtocolIdx::at(i),
                },
            )
            .fields();
            Keyed::object([("name", Keyed::text(&p.name)), path, hreflang])
        }));
        let mut language = Language {
            renderer,
            locale,
            lang,
            text,
            t,
            tp,
            site_value,
            nav,
            languages,
            lang_dir_og: [
                Keyed::text(&loc.html_lang),
                Keyed::text(loc.dir.as_str()),
                Keyed::text(&structured::og_locale(&loc.html_lang)),
            ],
            roots: [0, 1, 2].map(|depth| {
                let path = format!("/{}", "x/".repeat(depth));
                let url = format!("{}{path}", site.prefix(locale));
                Roots::new(plan::root_of(&url), plan::root_of(&path))
            }),
            every_lang: Keyed::list(site.locales.iter().map(|l| Keyed::text(&l.html_lang))),
            ld,
            shared: Vec::new(),
            protocols,
            codes,
            related,
        };
        language.shared = PAGE_TEMPLATES
            .iter()
            .map(|t| language.shared_context(t))
            .collect();
        language
    }

    /// A context for `template` with what every page of the language has: its language,
    /// words, site, navigation and languages.
    fn shared_context(&self, template: &str) -> KeyedContext {
        let mut ctx = KeyedContext::new(template, self.renderer.templates_key);
        let [lang, dir, _] = &self.lang_dir_og;
        ctx.insert("lang", lang);
        ctx.insert("dir", dir);
        ctx.insert("t", &self.t);
        ctx.insert("tp", &self.tp);
        ctx.insert("site", &self.site_value);
        ctx.insert("protocols_nav", &self.nav);
        ctx.insert("languages", &self.languages);
        ctx
    }

    fn site(&self) -> &'s Site {
        self.renderer.site
    }

    /// Gives each code's full value its `parts` (see [`PARTS`]), each rendered here once,
    /// with the language's values, the protocol, the code, and `root`: the way back to the
    /// language's home from a code or pair page (the two sit at the same depth).
    fn render_parts(&mut self) -> Result<(), Diagnostic> {
        let Renderer { tera, parts, .. } = self.renderer;
        if parts.is_empty() {
            return Ok(());
        }
        let [lang, dir, _] = &self.lang_dir_og;
        let mut ctx = tera::Context::new();
        ctx.insert_value("lang", lang.value());
        ctx.insert_value("dir", dir.value());
        ctx.insert_value("t", self.t.value());
        ctx.insert_value("tp", self.tp.value());
        ctx.insert_value("site", self.site_value.value());
        ctx.insert_value("root", self.roots[2].root.value());
        for ((protocol, _), values) in self.protocols.iter().zip(&mut self.codes) {
            ctx.insert_value("protocol", protocol.value());
            for v in values {
                ctx.insert_value("code", v.full.value());
                let rendered = parts
                    .iter()
                    .map(|(template, name)| {
                        let html = tera
                            .render(template, &ctx)
                            .map_err(|e| templates::template_error(&e, |_| None))?;
                        Ok((name.clone(), Keyed::html(&html)))
                    })
                    .collect::<Result<Vec<_>, Diagnostic>>()?;
                v.full = v.full.with("parts", Keyed::object_named(rendered));
            }
        }
        Ok(())
    }

    /// The site title, plain.
    fn site_title(&self) -> String {
        self.lang.plain(&self.site().title)
    }

    /// A context with what every page has: language, words, links to the same page in every
    /// language. `url` is the page's path in its language; `absolute` makes every link a
    /// full URL (for 404.html, which hosts serve at any path).
    fn base(&self, head: &Head<'_>) -> KeyedContext {
        let Head {
            kind,
            url,
            title,
            description,
            template,
            ..
        } = *head;
        let site = self.site();
        let prefix = site.prefix(self.locale);
        let path = url.strip_prefix(prefix).unwrap_or(url);
        let roots = self.roots(kind, url, path);
        let canonical = format!("{}{url}", site.base_url);
        let mut ctx = match PAGE_TEMPLATES.iter().position(|t| *t == template) {
            Some(i) => self.shared[i].clone(),
            None => self.shared_context(template),
        };
        let og_locale = &self.lang_dir_og[2];
        ctx.insert(
            "page",
            &Keyed::object(
                [
                    ("kind", Keyed::text(kind)),
                    ("title", Keyed::text(title)),
                    ("description", Keyed::text(description)),
                    ("canonical", Keyed::text(&canonical)),
                    // The page's path in any language is a language's prefix and this.
                    ("path", Keyed::text(path.trim_start_matches('/'))),
                    ("root", roots.root.clone()),
                    ("site_root", roots.site_root.clone()),
                    ("stylesheet", roots.stylesheet.clone()),
                    ("assets", roots.assets.clone()),
                    ("og_locale", og_locale.clone()),
                    ("json_ld", Keyed::html(&self.json_ld(head, &canonical))),
                ]
                .into_iter()
                .chain(self.translation(head.page)),
            ),
        );
        ctx
    }

    /// The page's links back to the roots. Relative, so the site works under any base path
    /// and from a folder: prepared once for the depths of the language's pages. The 404
    /// page, which hosts serve at any path, links from the site's root path instead.
    fn roots(&self, kind: &str, url: &str, path: &str) -> Cow<'_, Roots> {
        let site = self.site();
        if kind == "404" {
            let base = base_path(&site.base_url);
            let root = match site.prefix(self.locale).trim_start_matches('/') {
                "" => base.clone(),
                lang => format!("{base}{lang}/"),
            };
            return Cow::Owned(Roots::new(base, root));
        }
        let depth = path.split('/').filter(|s| !s.is_empty()).count();
        match self.roots.get(depth) {
            Some(roots) => Cow::Borrowed(roots),
            None => Cow::Owned(Roots::new(plan::root_of(url), plan::root_of(path))),
        }
    }

    /// What the site's `fallback` makes of the page (docs/content.md): `robots` (`noindex`
    /// for an untranslated page under `fallback: noindex`), `alternates` (the `html_lang` of
    /// every language whose page is in the page's hreflang set — none when the page itself
    /// is not), and `missing` (languages that leave the page out under `fallback: skip`, for
    /// the switcher).
    fn translation(&self, kind: Kind) -> [(&'static str, Keyed); 3] {
        let site = self.site();
        let page = |locale| Page { kind, locale };
        if site.fallback == Fallback::Show {
            return [
                ("robots", Keyed::text("")),
                ("alternates", self.every_lang.clone()),
                ("missing", Keyed::list([])),
            ];
        }
        let listed = plan::listed(site, page(self.locale));
        let langs = |keep: &dyn Fn(LocaleIdx) -> bool| {
            Keyed::list(
                site.locale_ids()
                    .filter(|&i| keep(i))
                    .map(|i| Keyed::text(&site.locale(i).html_lang)),
            )
        };
        [
            ("robots", Keyed::text(if listed { "" } else { "noindex" })),
            (
                "alternates",
                langs(&|i| listed && plan::listed(site, page(i))),
            ),
            ("missing", langs(&|i| !plan::exists(site, page(i)))),
        ]
    }

    /// The page's JSON-LD (see [`structured`]): its breadcrumb trail from the home page of
    /// its language, and for code and pair pages an article about their codes.
    fn json_ld(&self, head: &Head<'_>, url: &str) -> String {
        let (p, codes): (Option<ProtocolIdx>, &[usize]) = match head.page {
            Kind::Home => (None, &[]),
            Kind::Protocol { p } => (Some(p), &[]),
            Kind::Code { p, c } => (Some(p), &[c.get()]),
            Kind::Pair { p, a, b } => (Some(p), &[a.get(), b.get()]),
        };
        let Some(p) = p.filter(|_| !codes.is_empty()) else {
            return self.ld.page(p.map(ProtocolIdx::get), None, None);
        };
        let pt = &self.text[p.get()];
        let name = match codes {
            [a, b] => format!(
                "{} {} {}",
                pt.codes[*a].id,
                self.lang.loc().get(Msg::Vs),
                pt.codes[*b].id
            ),
            _ => codes.iter().map(|&c| pt.codes[c].id.as_str()).collect(),
        };
        let last = structured::Crumb { name: &name, url };
        let article = structured::Article {
            headline: head.headline,
            description: head.description,
            url,
            codes,
        };
        self.ld.page(Some(p.get()), Some(&last), Some(&article))
    }

    fn job(&self, page: Option<Page>, template: &'static str, ctx: KeyedContext) -> Job<'r> {
        let (ctx, key) = ctx.finish();
        Job {
            path: page.map_or_else(
                || crate::model::NOT_FOUND.to_owned(),
                |p| plan::file_path(self.site(), p),
            ),
            page,
            key,
            template,
            ctx,
            tera: &self.renderer.tera,
        }
    }

    /// The page's job: its context and key, not yet rendered.
    pub(crate) fn page(&self, page: Page) -> Job<'r> {
        let url = plan::url_of(self.site(), page);
        let file = Some(page);
        match page.kind {
            Kind::Home => self.home(&url, file),
            Kind::Protocol { p } => self.protocol_page(p, &url, file),
            Kind::Code { p, c } => self.code_page(p, c, &url, file),
            Kind::Pair { p, a, b } => self.pair_page(p, a, b, &url, file),
        }
    }

    fn with_site(&self, t: &str) -> String {
        format!("{t} | {}", self.site_title())
    }

    fn home(&self, url: &str, file: Option<Page>) -> Job<'r> {
        let site = self.site();
        let title = match &site.tagline {
            Some(t) => format!("{}: {}", self.site_title(), self.lang.plain(t)),
            None => self.site_title(),
        };
        let loc = self.lang.loc();
        let mut ctx = self.base(&Head {
            kind: "home",
            page: Kind::Home,
            url,
            title: &title,
            headline: &title,
            description: loc.get(Msg::HomeDescription),
            template: "home.html",
        });
        // As on their indexes: the picker offers every code, and popular pairs are listed.
        ctx.insert(
            "protocols",
            &Keyed::list(self.protocols.iter().map(|(_, index)| index.clone())),
        );
        ctx.insert("finder", &context::finder(loc, &loc.html(Msg::CodeTerm)));
        self.job(file, "home.html", ctx)
    }

    fn protocol_page(&self, p: ProtocolIdx, url: &str, file: Option<Page>) -> Job<'r> {
        let pt = &self.text[p.get()];
        let loc = self.lang.loc();
        let count = pt.codes.len().to_string();
        let term = crate::markdown::plain_html(&pt.term_html);
        let args = [
            ("proto", pt.name.as_str()),
            ("title", pt.title_plain.as_str()),
            ("count", count.as_str()),
            ("term", term.as_str()),
        ];
        let headline = loc.text(Msg::ProtocolTitle, &args);
        let description = loc.text(Msg::ProtocolDescription, &args);
        let mut ctx = self.base(&Head {
            kind: "protocol",
            page: Kind::Protocol { p },
            url,
            title: &self.with_site(&headline),
            headline: &headline,
            description: &description,
            template: "protocol.html",
        });
        ctx.insert("protocol", &self.protocols[p.get()].1);
        self.job(file, "protocol.html", ctx)
    }

    fn code_page(&self, p: ProtocolIdx, c: CodeIdx, url: &str, file: Option<Page>) -> Job<'r> {
        let pt = &self.text[p.get()];
        let ct = pt.code(c);
        let loc = self.lang.loc();
        let args = [
            ("proto", pt.name.as_str()),
            ("code", ct.id.as_str()),
            ("name", ct.name_plain.as_str()),
            ("summary", ct.summary_plain.as_str()),
        ];
        let headline = loc.text(Msg::CodeTitle, &args);
        let description = loc.text(Msg::CodeDescription, &args);
        let mut ctx = self.base(&Head {
            kind: "code",
            page: Kind::Code { p, c },
            url,
            title: &self.with_site(&headline),
            headline: &headline,
            description: &description,
            template: "code.html",
        });
        ctx.insert("protocol", &self.protocols[p.get()].0);
        ctx.insert("code", &self.codes[p.get()][c.get()].full);
        ctx.insert(
            "compare_with",
            &Keyed::html(&loc.html_with(Msg::CompareWith, &[("code", &escape(&ct.id))])),
        );
        // Its page with every other code of the protocol, in natural order.
        let values = &self.codes[p.get()];
        let comparisons = (0..values.len()).filter(|&o| o != c.get()).map(|o| {
            let other = CodeIdx::at(o);
            let pair = Kind::Pair {
                p,
                a: c.min(other),
                b: c.max(other),
            };
            let [path, hreflang] = Link::to(self.lang, pair).fields();
            Keyed::object([("other", values[o].listed.clone()), path, hreflang])
        });
        ctx.insert("comparisons", &Keyed::list(comparisons));
        self.job(file, "code.html", ctx)
    }

    fn pair_page(
        &self,
        p: ProtocolIdx,
        a: CodeIdx,
        b: CodeIdx,
        url: &str,
        file: Option<Page>,
    ) -> Job<'r> {
        let pt = &self.text[p.get()];
        let (ca, cb) = (pt.code(a), pt.code(b));
        let loc = self.lang.loc();
        let cmp = compare::compare(pt, a, b, loc);
        let args = [
            ("proto", pt.name.as_str()),
            ("a", ca.id.as_str()),
            ("a_name", ca.name_plain.as_str()),
            ("b", cb.id.as_str()),
            ("b_name", cb.name_plain.as_str()),
        ];
        let headline = loc.text(Msg::PairTitle, &args);
        let difference = crate::markdown::plain_html(&cmp.difference);
        let description = loc.text(
            Msg::PairDescription,
            &[args[0], args[1], args[3], ("difference", &difference)],
        );
        let codes = &self.codes[p.get()];
        let (va, vb) = (&codes[a.get()], &codes[b.get()]);
        let heading = loc.html_with(
            Msg::PairHeading,
            &[
                ("proto", &span("proto", &escape(&pt.name))),
                ("a", &va.heading[0]),
                ("a_name", &va.heading[1]),
                ("b", &vb.heading[0]),
                ("b_name", &vb.heading[1]),
            ],
        );
        let mut ctx = self.base(&Head {
            kind: "pair",
            page: Kind::Pair { p, a, b },
            url,
            title: &self.with_site(&headline),
            headline: &headline,
            description: &description,
            template: "pair.html",
        });
        ctx.insert("protocol", &self.protocols[p.get()].0);
        ctx.insert("a", &va.full);
        ctx.insert("b", &vb.full);
        ctx.insert("heading_html", &Keyed::html(&heading));
        ctx.insert("cmp", &context::comparison(&cmp));
        ctx.insert(
            "references",
            &context::merged_references((ca, &va.references), (cb, &vb.references)),
        );
        let related = self.related(p, a, b);
        ctx.insert("related", &related);
        self.job(file, "pair.html", ctx)
    }

    /// Other comparisons worth reading after `a` vs `b`: pairs of either code that have
    /// their own note, then each code against its neighbours of the same class. At most
    /// six, never the pair itself. Built from each code's candidates, prepared once.
    fn related(&self, p: ProtocolIdx, a: CodeIdx, b: CodeIdx) -> Keyed {
        const MAX: usize = 6;
        let (ca, cb) = (
            &self.related[p.get()][a.get()],
            &self.related[p.get()][b.get()],
        );
        let mut seen: Vec<(CodeIdx, CodeIdx)> = Vec::with_capacity(MAX);
        let mut out: Vec<Keyed> = Vec::with_capacity(MAX);
        for (pair, entry) in ca
            .noted
            .iter()
            .chain(&cb.noted)
            .chain(&ca.near)
            .chain(&cb.near)
        {
            if *pair != (a, b) && !seen.contains(pair) && out.len() < MAX {
                seen.push(*pair);
                out.push(entry.clone());
            }
        }
        Keyed::list(out)
    }

    /// `404.html`, written once, in the default language, with links from the site root.
    pub(crate) fn not_found(&self) -> Job<'r> {
        let loc = self.lang.loc();
        let headline = loc.get(Msg::NotFoundTitle);
        let mut ctx = self.base(&Head {
            kind: "404",
            page: Kind::Home,
            url: "/",
            title: &self.with_site(headline),
            headline,
            description: loc.get(Msg::NotFoundText),
            template: "404.html",
        });
        ctx.insert(
            "protocols",
            &Keyed::list(self.protocols.iter().map(|(brief, _)| brief.clone())),
        );
        // The way home in every language, each in its own words: a reader who lands here
        // from a link in any language finds their way.
        let site = self.site();
        let base = base_path(&site.base_url);
        let homes = site.locale_ids().map(|i| {
            let l = site.locale(i);
            Keyed::object([
                ("href", Keyed::text(&format!("{base}{}", folder(site, i)))),
                ("lang", Keyed::text(&l.html_lang)),
                ("name", Keyed::text(&l.name)),
                // Marked with the default language's `lang` where the locale has no words.
                ("back_home_html", Keyed::html(&l.html(Msg::BackHome))),
            ])
        });
        ctx.insert("homes", &Keyed::list(homes));
        self.job(None, "404.html", ctx)
    }
}

/// `site`: its title and tagline in the language, and its base URL.
fn site_value(lang: Lang<'_>) -> Keyed {
    let site = lang.site;
    Keyed::object([
        ("title_html", Keyed::html(&lang.text_html(&site.title))),
        ("title", Keyed::text(&lang.plain(&site.title))),
        (
            "tagline_html",
            Keyed::html(
                &site
                    .tagline
                    .as_ref()
                    .map(|t| lang.text_html(t))
                    .unwrap_or_default(),
            ),
        ),
        ("base_url", Keyed::text(&site.base_url)),
    ])
}

/// `languages`: every language of the site, for hreflang alternates and the switcher (a
/// page's sibling in a language is `prefix` + `page.path`).
fn languages(site: &Site, locale: LocaleIdx) -> Keyed {
    Keyed::list(site.locale_ids().map(|i| {
        let l = site.locale(i);
        Keyed::object([
            ("name", Keyed::text(&l.name)),
            ("lang", Keyed::text(&l.html_lang)),
            ("prefix", Keyed::text(&folder(site, i))),
            ("current", Keyed::bool(i == locale)),
            (
                "og_locale",
                Keyed::text(&structured::og_locale(&l.html_lang)),
            ),
        ])
    }))
}

/// A language's folder under the site root: `zh/`, or nothing for the default language.
fn folder(site: &Site, locale: LocaleIdx) -> String {
    match site.prefix(locale).trim_start_matches('/') {
        "" => String::new(),
        prefix => format!("{prefix}/"),
    }
}

/// A page's absolute URL in `lang`'s language (in the default language's when that language
/// leaves the page out, as its links do).
fn absolute(lang: Lang<'_>, kind: Kind) -> String {
    let site = lang.site;
    let here = Page {
        kind,
        locale: lang.locale,
    };
    let locale = if plan::exists(site, here) {
        lang.locale
    } else {
        Site::DEFAULT_LOCALE
    };
    format!(
        "{}{}{}",
        site.base_url,
        site.prefix(locale),
        plan::path_of(site, kind)
    )
}

/// The JSON-LD a language's pages share: its home page's crumb, each protocol's crumb and
/// set of codes.
fn ld_parts(lang: Lang<'_>, text: &[ProtocolText]) -> structured::Parts {
    let loc = lang.loc();
    let home_url = absolute(lang, Kind::Home);
    let home = structured::Crumb {
        name: loc.get(Msg::Home),
        url: &home_url,
    };
    // Owned strings first: the sets borrow them.
    let owned: Vec<(String, String, Vec<String>)> = text
        .iter()
        .enumerate()
        .map(|(i, pt)| {
            let p = ProtocolIdx::at(i);
            let term = crate::markdown::plain_html(&pt.term_html);
            let set_name = loc.text(
                Msg::ProtocolTitle,
                &[
                    ("proto", pt.name.as_str()),
                    ("title", pt.title_plain.as_str()),
                    ("term", term.as_str()),
                ],
            );
            let urls = (0..pt.codes.len())
                .map(|c| {
                    absolute(
                        lang,
                        Kind::Code {
                            p,
                            c: CodeIdx::at(c),
                        },
                    )
                })
                .collect();
            (absolute(lang, Kind::Protocol { p }), set_name, urls)
        })
        .collect();
    let sets = text
        .iter()
        .zip(&owned)
        .map(|(pt, (url, name, urls))| structured::Set {
            crumb: structured::Crumb {
                name: &pt.name,
                url,
            },
            name,
            terms: pt
                .codes
                .iter()
                .zip(urls)
                .map(|(c, url)| structured::Term {
                    code: &c.id,
                    name: &c.name_plain,
                    url,
                })
                .collect(),
        });
    structured::Parts::new(&home, sets, &loc.html_lang)
}

/// A page's relative links back to the roots: `root` (its language's home), `site_root`
/// (the site's), and the stylesheet and assets folder under the site root.
#[derive(Clone)]
struct Roots {
    root: Keyed,
    site_root: Keyed,
    stylesheet: Keyed,
    assets: Keyed,
}

impl Roots {
    fn new(site_root: String, root: String) -> Roots {
        Roots {
            stylesheet: Keyed::text(&format!("{site_root}{ASSETS_DIR}/{STYLESHEET}")),
            assets: Keyed::text(&format!("{site_root}{ASSETS_DIR}/")),
            root: Keyed::text(&root),
            site_root: Keyed::text(&site_root),
        }
    }
}

/// What [`Language::base`] needs of a page.
#[derive(Clone, Copy)]
struct Head<'a> {
    /// `home`, `protocol`, `code`, `pair` or `404`.
    kind: &'static str,
    /// What the page shows (the home page for 404.html).
    page: Kind,
    /// The page's URL path in its language.
    url: &'a str,
    title: &'a str,
    /// The title without the site's name, for structured data.
    headline: &'a str,
    description: &'a str,
    template: &'static str,
}

/// Each code of a protocol as full text and as listed.
type CodeValues = Vec<CodeValue>;

/// A code's template values in one language.
struct CodeValue {
    /// With all its text: `code` on its page, `a` and `b` on its pairs.
    full: Keyed,
    /// As listed (`protocol.codes`, the other code of a comparison).
    listed: Keyed,
    /// Each of its references, as `references` lists them.
    references: Vec<Keyed>,
    /// Its id and name as a pair's heading shows them (`<span class="code">…`).
    heading: [String; 2],
}

/// A code's candidates for "other comparisons": the pairs it has a note with, and the pairs
/// with its neighbours of the same class, each as the entry templates get.
struct Related {
    noted: Vec<((CodeIdx, CodeIdx), Keyed)>,
    near: Vec<((CodeIdx, CodeIdx), Keyed)>,
}

fn related_candidates(
    lang: Lang<'_>,
    pi: ProtocolIdx,
    pt: &ProtocolText,
    values: &[CodeValue],
) -> Vec<Related> {
    let class = |c: usize| pt.codes[c].class.as_ref().map(|k| k.index);
    let entry =
        |x: CodeIdx, y: CodeIdx| ((x.min(y), x.max(y)), pair_entry(lang, pi, pt, values, x, y));
    let n = pt.codes.len();
    (0..n)
        .map(|i| {
            let c = CodeIdx::at(i);
            let noted = pt
                .notes
                .iter()
                .filter_map(|note| match (note.a == c, note.b == c) {
                    (true, _) => Some(entry(c, note.b)),
                    (_, true) => Some(entry(c, note.a)),
                    _ => None,
                })
                .collect();
            let near = [i.checked_sub(1), Some(i + 1), i.checked_sub(2), Some(i + 2)]
                .into_iter()
                .flatten()
                .filter(|&j| j < n && class(j) == class(i))
                .map(|j| entry(c, CodeIdx::at(j)))
                .collect();
            Related { noted, near }
        })
        .collect()
}

/// A protocol's template values in one language: as most pages get it and as its index and
/// the home page get it (see [`Language`]), and each code's full and listed values.
fn protocol_values(
    lang: Lang<'_>,
    pi: ProtocolIdx,
    pt: &ProtocolText,
    not_stated: &str,
) -> ((Keyed, Keyed), CodeValues) {
    let loc = lang.loc();
    let id = &lang.site.protocol(pi).id;
    let links: Vec<Link> = (0..pt.codes.len())
        .map(|c| {
            Link::to(
                lang,
                Kind::Code {
                    p: pi,
                    c: CodeIdx::at(c),
                },
            )
        })
        .collect();
    let codes: CodeValues = pt
        .codes
        .iter()
        .zip(&links)
        .enumerate()
        .map(|(i, (c, link))| CodeValue {
            full: context::code(i, c, link, not_stated),
            listed: context::listing(i, c, link, false),
            references: context::reference_items(&c.references),
            heading: [span("code", &escape(&c.id)), span("name", &c.name_html)],
        })
        .collect();
    let summaries: Vec<Keyed> = pt
        .codes
        .iter()
        .zip(&links)
        .enumerate()
        .map(|(i, (c, link))| context::listing(i, c, link, true))
        .collect();
    let term = ("term", pt.term_html.as_str());
    let count = match pt.codes.len() {
        1 => loc.html_with(Msg::CodesCountOne, &[term]),
        n => loc.html_with(Msg::CodesCount, &[("count", &n.to_string()), term]),
    };
    let all = loc.html_with(Msg::AllCodes, &[term]);
    let listed: Vec<Keyed> = codes.iter().map(|c| c.listed.clone()).collect();
    let extras = |popular: Keyed| context::ProtocolExtras {
        link: Link::to(lang, Kind::Protocol { p: pi }),
        count_html: Keyed::html(&count),
        all_html: Keyed::html(&all),
        finder: context::finder(loc, &pt.term_html),
        popular,
        away_pairs: away_pairs(lang, pi, pt, &links),
    };
    // Every pair with a note, for the index's "popular comparisons"; other pages do not
    // show them, so an edited note does not re-render them.
    let popular = Keyed::list(
        pt.notes
            .iter()
            .map(|n| pair_entry(lang, pi, pt, &codes, n.a, n.b)),
    );
    let protocol = (
        context::protocol(pt, id, &listed, &extras(Keyed::list([]))),
        context::protocol(pt, id, &summaries, &extras(popular)),
    );
    (protocol, codes)
}

/// The pairs with a note whose page is away (in another language) though both codes' pages
/// are not, as the picker's `data-away-pairs` lists them: "200-vs-421 450-vs-550".
fn away_pairs(lang: Lang<'_>, pi: ProtocolIdx, pt: &ProtocolText, links: &[Link]) -> String {
    let away: Vec<String> = pt
        .notes
        .iter()
        .filter(|n| {
            let pair = Kind::Pair {
                p: pi,
                a: n.a,
                b: n.b,
            };
            links[n.a.get()].hreflang.is_empty()
                && links[n.b.get()].hreflang.is_empty()
                && !Link::to(lang, pair).hreflang.is_empty()
        })
        .map(|n| crate::model::pair_segment(&pt.code(n.a).id, &pt.code(n.b).id))
        .collect();
    away.join(" ")
}

/// A link to the pair page of `x` and `y` (either order), as templates get it: `title_html`
/// (both codes with their names), `path`, `hreflang`, `a`, `b` (as listed), `noted`.
fn pair_entry(
    lang: Lang<'_>,
    pi: ProtocolIdx,
    pt: &ProtocolText,
    values: &[CodeValue],
    x: CodeIdx,
    y: CodeIdx,
) -> Keyed {
    let (x, y) = (x.min(y), x.max(y));
    let (cx, cy) = (pt.code(x), pt.code(y));
    let title = lang.loc().html_with(
        Msg::PairHeading,
        &[
            ("proto", &pt.name_html),
            ("a", &cx.id_html),
            ("a_name", &cx.name_html),
            ("b", &cy.id_html),
            ("b_name", &cy.name_html),
        ],
    );
    let [path, hreflang] = Link::to(lang, Kind::Pair { p: pi, a: x, b: y }).fields();
    Keyed::object([
        ("title_html", Keyed::html(&title)),
        path,
        hreflang,
        ("a", values[x.get()].listed.clone()),
        ("b", values[y.get()].listed.clone()),
        ("noted", Keyed::bool(pt.note(x, y).is_some())),
    ])
}

/// The path of the site's root on its host: `/` for `https://x.org`, `/docs/` for
/// `https://x.org/docs`.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://x.org"), "/");
        assert_eq!(base_path("https://x.org/docs/"), "/docs/");
        assert_eq!(base_path("http://127.0.0.1:1111"), "/");
    }
}
