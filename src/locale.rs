//! The words of the site in one language: the known keys of a locale file, their
//! placeholders, and how a missing key falls back (SPEC §2: to the default locale, marked
//! with that language's `lang`).
//!
//! Sentence patterns such as `kd_diff_class` live here rather than in Rust so that each
//! language can order the parts its own way; `{name}` marks a placeholder.

use crate::pattern::Pattern;

/// `PAIR` in a key's placeholder list stands for the names every pair pattern may use.
macro_rules! placeholder {
    (PAIR) => {
        PAIR
    };
    ($ph:literal) => {
        $ph
    };
}

/// Stands, in a key's placeholders, for every name of [`PAIR_NAMES`].
const PAIR: &str = "*pair*";

/// What every pattern of a pair page may use: the protocol, its term, both codes with
/// their names and classes.
pub(crate) const PAIR_NAMES: &[&str] = &[
    "proto", "term", "a", "a_name", "b", "b_name", "cls", "class", "cla", "class_a", "clb",
    "class_b",
];

/// The placeholders a key allows, [`PAIR`] expanded.
pub(crate) fn allowed(placeholders: &[&'static str]) -> Vec<&'static str> {
    placeholders
        .iter()
        .flat_map(|p| {
            if *p == PAIR {
                PAIR_NAMES
            } else {
                std::slice::from_ref(p)
            }
        })
        .copied()
        .collect()
}

/// Declares every locale key once: the `Msg` enum used from Rust and the table of keys with
/// their allowed placeholders used to check locale files.
macro_rules! keys {
    ($($variant:ident = $key:literal [$($ph:tt),*];)*) => {
        /// A key of a locale file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(usize)]
        pub(crate) enum Msg { $($variant,)* }

        /// Every key with the placeholders its pattern may use.
        pub(crate) const KEYS: &[(&str, &[&str])] = &[$(($key, &[$(placeholder!($ph)),*]),)*];

        /// Every key, in the order of `KEYS`.
        pub(crate) const MSGS: &[Msg] = &[$(Msg::$variant,)*];
    };
}

keys! {
    // Page chrome.
    SkipToContent = "skip_to_content" [];
    SiteNav = "site_nav" [];
    Breadcrumb = "breadcrumb" [];
    Language = "language" [];
    Home = "home" [];
    Protocols = "protocols" [];
    CodeTerm = "code_term" [];
    AllCodes = "all_codes" ["term"];
    CodesCount = "codes_count" ["count", "term"];
    CodesCountOne = "codes_count_one" ["term"];
    Comparisons = "comparisons" [];
    CompareWith = "compare_with" ["code"];
    OtherComparisons = "other_comparisons" [];
    Vs = "vs" [];
    NotFoundTitle = "not_found_title" [];
    NotFoundText = "not_found_text" [];
    BackHome = "back_home" [];
    // Finding a comparison: the picker, the filter, popular pairs.
    ComparePicker = "compare_picker" ["term"];
    PickProtocol = "pick_protocol" [];
    PickFirst = "pick_first" ["term"];
    PickSecond = "pick_second" ["term"];
    CompareButton = "compare_button" [];
    PickTwo = "pick_two" ["term"];
    FilterLabel = "filter_label" ["term"];
    FilterNone = "filter_none" ["term"];
    PopularComparisons = "popular_comparisons" [];
    // Sections of a code and a pair page (SPEC §3; the zh names are fixed by the seed).
    Overview = "overview" [];
    Description = "description" [];
    WhenItOccurs = "when_it_occurs" [];
    HowToFix = "how_to_fix" [];
    KeyDifferences = "key_differences" [];
    WhenToUseWhich = "when_to_use_which" [];
    LearnMore = "learn_more" [];
    AtAGlance = "at_a_glance" [];
    Guidance = "guidance" [];
    Class = "class" [];
    Category = "category" [];
    Status = "status" [];
    DefinedIn = "defined_in" [];
    References = "references" [];
    NotStated = "not_stated" [];
    Differs = "differs" [];
    Same = "same" [];
    StatusStandard = "status_standard" [];
    StatusExperimental = "status_experimental" [];
    StatusTemporary = "status_temporary" [];
    StatusRegistered = "status_registered" [];
    StatusReserved = "status_reserved" [];
    StatusObsolete = "status_obsolete" [];
    StatusUnofficial = "status_unofficial" [];
    FactWithNote = "fact_with_note" ["value", "note"];
    // Titles, headings and meta descriptions.
    HomeDescription = "home_description" [];
    ProtocolTitle = "protocol_title" ["proto", "title", "term"];
    ProtocolDescription = "protocol_description" ["proto", "title", "count", "term"];
    CodeTitle = "code_title" ["proto", "code", "name"];
    CodeDescription = "code_description" ["proto", "code", "name", "summary"];
    PairTitle = "pair_title" ["proto", "a", "a_name", "b", "b_name"];
    PairHeading = "pair_heading" ["proto", "a", "a_name", "b", "b_name"];
    PairDescription = "pair_description" ["proto", "a", "a_name", "b", "b_name", "difference"];
    // Comparison wording (see `compare`). Every pattern of a pair may also use `proto`,
    // `term`, `a`, `a_name`, `b`, `b_name`, and the classes `cls`/`class` (of `a`),
    // `cla`/`class_a`, `clb`/`class_b`.
    DiffClasses = "diff_classes" [PAIR];
    DiffSameClass = "diff_same_class" [PAIR, "point"];
    DiffPlain = "diff_plain" [PAIR, "point"];
    PointFact = "point_fact" [PAIR, "fact", "value_a", "value_b"];
    PointCondition = "point_condition" [PAIR, "cond_a", "cond_b"];
    PointNames = "point_names" [PAIR];
    Shared = "shared" ["items"];
    SharedItem = "shared_item" ["label", "value"];
    SharedSeparator = "shared_separator" [];
    KdRow = "kd_row" [PAIR, "label", "value_a", "value_b"];
    KdCondition = "kd_condition" [PAIR, "cond_a", "cond_b"];
    KdFix = "kd_fix" [PAIR, "fix_a", "fix_b"];
    KdMeaning = "kd_meaning" [PAIR, "desc_a", "desc_b"];
    KdNames = "kd_names" [PAIR];
    WhichConditions = "which_conditions" [PAIR, "cond_a", "cond_b"];
    WhichWhen = "which_when" [PAIR, "when_a", "when_b"];
    WhichInterim = "which_interim" [PAIR, "first", "then"];
}

/// Fields of a locale file that are not template words.
pub(crate) const META_KEYS: &[&str] = &["name", "html_lang", "dir"];

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// One language of the site, with every key resolved (its own text or a fallback).
#[derive(Debug, Clone)]
pub(crate) struct Locale {
    /// The file stem, a BCP 47 tag: `en`, `zh`, `pt-BR`.
    pub id: String,
    /// The language's own name, for the switcher.
    pub name: String,
    /// `<html lang>` and hreflang value.
    pub html_lang: String,
    pub dir: Dir,
    /// Text of each key, in `KEYS` order.
    pub strings: Vec<String>,
    /// Each key's text parsed once as a pattern, in `KEYS` order.
    patterns: Vec<Pattern>,
    /// For each key taken from another language, that language's mark.
    pub fallback: Vec<Option<Mark>>,
}

impl Locale {
    /// A language from its words (`strings`, in `KEYS` order) and the marks of those taken
    /// from another language.
    pub(crate) fn new(
        id: String,
        name: String,
        html_lang: String,
        dir: Dir,
        strings: Vec<String>,
        fallback: Vec<Option<Mark>>,
    ) -> Locale {
        Locale {
            patterns: strings.iter().map(|s| Pattern::parse(s)).collect(),
            id,
            name,
            html_lang,
            dir,
            strings,
            fallback,
        }
    }

    fn pattern(&self, msg: Msg) -> &Pattern {
        const EMPTY: &Pattern = &Pattern::EMPTY;
        self.patterns.get(msg as usize).unwrap_or(EMPTY)
    }

    pub(crate) fn get(&self, msg: Msg) -> &str {
        self.strings.get(msg as usize).map_or("", String::as_str)
    }

    /// The key's text as HTML: escaped, and wrapped in a `lang` span when it is a fallback.
    pub(crate) fn html(&self, msg: Msg) -> String {
        mark_lang(
            &escape(self.get(msg)),
            self.fallback.get(msg as usize).and_then(Option::as_ref),
        )
    }

    /// Whether the language separates Chinese characters from Latin letters and digits with
    /// a space (Chinese does; Japanese, for one, does not).
    fn spaces_latin(&self) -> bool {
        self.html_lang == "zh" || self.html_lang.starts_with("zh-")
    }

    /// Fills a pattern whose text is plain and whose arguments are plain: the result is plain.
    pub(crate) fn text(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        self.pattern(msg).fill(args, self.spaces_latin(), false)
    }

    /// Fills a pattern whose arguments are already HTML: the pattern's own text is escaped.
    pub(crate) fn html_with(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        let filled = self.pattern(msg).fill(args, self.spaces_latin(), true);
        match self.fallback.get(msg as usize).and_then(Option::as_ref) {
            Some(mark) => mark_lang(&filled, Some(mark)),
            None => filled,
        }
    }
}

/// The language of text taken from another language (a fallback), and its direction where
/// that differs from the page's: English in an Arabic page must read left to right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mark {
    pub lang: String,
    pub dir: Option<Dir>,
}

impl Mark {
    /// The mark for text in `lang` (written `dir`) shown on a page written `page`.
    pub(crate) fn new(lang: &str, dir: Dir, page: Dir) -> Mark {
        Mark {
            lang: lang.to_owned(),
            dir: (dir != page).then_some(dir),
        }
    }

    /// The attributes that say it: ` lang="en"`, or ` lang="en" dir="ltr"`.
    pub(crate) fn attrs(&self) -> String {
        match self.dir {
            Some(d) => format!(" lang=\"{}\" dir=\"{}\"", escape(&self.lang), d.as_str()),
            None => format!(" lang=\"{}\"", escape(&self.lang)),
        }
    }
}

/// Wraps HTML in `<span lang>` (and `dir` where needed) when it comes from another language.
pub(crate) fn mark_lang(html: &str, mark: Option<&Mark>) -> String {
    match mark {
        Some(m) => format!("<span{}>{html}</span>", m.attrs()),
        None => html.to_owned(),
    }
}

/// HTML-escapes text for element content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(s, &mut out);
    out
}

pub(crate) fn escape_into(s: &str, out: &mut String) {
    // Copies runs of ordinary text whole; this runs for every sentence of every page.
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// A shipped language with every key from its built-in file, for tests.
#[cfg(test)]
pub(crate) fn builtin(id: &str, html_lang: &str) -> Locale {
    let words = crate::defaults::locale(id);
    Locale::new(
        id.to_owned(),
        id.to_owned(),
        html_lang.to_owned(),
        Dir::Ltr,
        KEYS.iter()
            .map(|(k, _)| words.get(*k).cloned().unwrap_or_default())
            .collect(),
        vec![None; KEYS.len()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique() {
        let mut keys: Vec<&str> = KEYS.iter().map(|k| k.0).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), KEYS.len());
    }

    #[test]
    fn fallback_text_is_marked_with_its_language() {
        let mut strings = vec![String::new(); KEYS.len()];
        strings[Msg::Overview as usize] = "Overview".into();
        let mut fallback = vec![None; KEYS.len()];
        fallback[Msg::Overview as usize] = Some(Mark::new("en", Dir::Ltr, Dir::Ltr));
        let l = Locale::new(
            "de".into(),
            "Deutsch".into(),
            "de".into(),
            Dir::Ltr,
            strings,
            fallback,
        );
        assert_eq!(l.html(Msg::Overview), "<span lang=\"en\">Overview</span>");
        let mut ar = l;
        ar.dir = Dir::Rtl;
        ar.fallback[Msg::Overview as usize] = Some(Mark::new("en", Dir::Ltr, Dir::Rtl));
        assert_eq!(
            ar.html(Msg::Overview),
            "<span lang=\"en\" dir=\"ltr\">Overview</span>",
            "English in a right-to-left page reads left to right"
        );
    }
}
