//! A protocol folder: `_protocol.yaml` (how codes group, which facts they state), every code
//! file, and `_pairs.yaml` (notes on pairs), checked against each other.

use std::collections::HashMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::{Resolver, list, pos, unknown};
use crate::diagnostic::{Diagnostic, Pos, did_you_mean};
use crate::load::raw::{RawClass, RawCode, RawFact, RawFactChoice, RawPairs};
use crate::load::text::{Entries, Key, Scalar, Text, TextOr};
use crate::load::{LoadedProtocol, Parsed};
use crate::model::{
    Class, ClassKind, Code, CodeIdx, Fact, FactValue, Grouping, PairNote, Protocol, Status, Tr,
};
use crate::{natural, prose};

/// Splits a spanned value from its position, and gives back a way to put text found in it
/// at that position (as the `Spanned<Text>` the resolver takes).
fn split<T>(s: Spanned<TextOr<T>>) -> (TextOr<T>, impl Fn(Text) -> Spanned<Text>) {
    let (referenced, defined) = (s.referenced, s.defined);
    (s.value, move |t| Spanned::new(t, referenced, defined))
}

/// Keys of facts and of their values: letters, digits, `_` and `-`.
fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A `ranges` class key, `low-high`.
fn parse_range(key: &str) -> Option<(u64, u64)> {
    let (lo, hi) = key.split_once('-')?;
    let num = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let (lo, hi) = (num(lo)?, num(hi)?);
    (lo <= hi).then_some((lo, hi))
}

impl Resolver<'_> {
    pub(super) fn protocol(&mut self, p: LoadedProtocol) -> Option<Protocol> {
        let file = &p.meta.file;
        let raw = p.meta.value;
        if !super::is_protocol_id(&p.id) {
            self.diags.push(
                Diagnostic::error(
                    file,
                    Pos::FILE,
                    format!(
                        "protocol folder `{}` must be named with a-z, 0-9 and - (and not a name Windows reserves)",
                        p.id
                    ),
                )
                .with_help("the folder name is the protocol's URL, e.g. content/ftp"),
            );
        }
        let name = raw.name.value.0.trim().to_owned();
        if name.is_empty() {
            self.diags
                .push(Diagnostic::error(file, pos(&raw.name), "name is empty"));
        }
        let grouping = raw
            .grouping
            .as_ref()
            .map_or(Grouping::FirstCharacter, |g| self.grouping(file, g));
        let classes = self.classes(file, grouping, raw.classes);
        if grouping != Grouping::FirstCharacter && !raw.categories.0.is_empty() {
            self.diags.push(Diagnostic::error(
                file,
                pos(&raw.categories.0[0].0),
                "categories name a code's second character, so they need `grouping: first-character`",
            ));
        }
        let one_char = |k: &str| k.chars().count() == 1;
        let categories = self.groups(
            file,
            raw.categories,
            "category",
            one_char,
            "one character (a code's second)",
        );
        let facts = self.facts(file, raw.facts);
        let protocol = Protocol {
            id: p.id.clone(),
            name,
            title: self.text(file, raw.title),
            summary: raw.summary.map(|s| self.text(file, s)),
            term: raw.term.map(|t| self.text(file, t)),
            grouping,
            references: self.references(file, raw.references),
            codes: Vec::new(),
            notes: Vec::new(),
            classes,
            categories,
            facts,
        };
        let mut codes: Vec<Code> = Vec::with_capacity(p.codes.len());
        for c in p.codes {
            codes.extend(self.code(&protocol, c));
        }
        codes.sort_by(|a, b| natural::compare(&a.id, &b.id));
        self.case_collisions(&codes);
        let notes = p
            .pairs
            .map(|pairs| self.notes(&protocol.id, &codes, pairs))
            .unwrap_or_default();
        Some(Protocol {
            codes,
            notes,
            ..protocol
        })
    }

    fn grouping(&mut self, file: &Path, g: &Spanned<Scalar>) -> Grouping {
        let given = g.value.0.trim();
        Grouping::ALL
            .into_iter()
            .find(|v| v.as_str() == given)
            .unwrap_or_else(|| {
                self.diags.push(unknown(
                    file,
                    pos(g),
                    format!("grouping `{given}` is not one of first-character, ranges, none"),
                    given,
                    Grouping::ALL.iter().map(|g| g.as_str()),
                ));
                Grouping::FirstCharacter
            })
    }

    /// The declared facts, each key once.
    fn facts(&mut self, file: &Path, raw: Entries<Key, Spanned<TextOr<RawFact>>>) -> Vec<Fact> {
        let facts: Vec<Fact> = raw
            .0
            .into_iter()
            .map(|(key, decl)| self.fact(file, key, decl))
            .collect();
        for (i, f) in facts.iter().enumerate() {
            if facts[..i].iter().any(|g| g.key == f.key) {
                self.diags.push(Diagnostic::error(
                    file,
                    Pos::FILE,
                    format!("fact `{}` is declared twice", f.key),
                ));
            }
        }
        facts
    }

    /// `classes`, checked against the protocol's grouping.
    fn classes(
        &mut self,
        file: &Path,
        grouping: Grouping,
        raw: Option<Spanned<Entries<Key, Spanned<TextOr<RawClass>>>>>,
    ) -> Vec<Class> {
        let Some(raw) = raw else {
            if grouping != Grouping::None {
                self.diags.push(
                    Diagnostic::error(file, Pos::FILE, "missing field `classes`").with_help(
                        "declare the classes of the protocol's codes, or write `grouping: none`",
                    ),
                );
            }
            return Vec::new();
        };
        let at = pos(&raw);
        if grouping == Grouping::None {
            if !raw.value.0.is_empty() {
                self.diags.push(
                    Diagnostic::error(file, at, "`grouping: none` takes no classes")
                        .with_help("remove `classes`, or choose first-character or ranges"),
                );
            }
            return Vec::new();
        }
        let mut out: Vec<Class> = Vec::new();
        for (key, value) in raw.value.0 {
            let k = key.value.0.trim().to_owned();
            let range = self.class_range(file, grouping, &key);
            if out.iter().any(|c| c.key == k) {
                self.diags.push(Diagnostic::error(
                    file,
                    pos(&key),
                    format!("class `{k}` is declared twice"),
                ));
            }
            if let Some((lo, hi)) = range
                && let Some(other) = out
                    .iter()
                    .find(|c| c.range.is_some_and(|(l, h)| lo <= h && l <= hi))
            {
                self.diags.push(Diagnostic::error(
                    file,
                    pos(&key),
                    format!("class `{k}` overlaps class `{}`", other.key),
                ));
            }
            let (name, kind) = self.class_name(file, &k, value);
            out.push(Class {
                key: k,
                name,
                kind,
                range,
            });
        }
        if out.is_empty() {
            self.diags
                .push(Diagnostic::error(file, at, "classes is empty").with_help(
                    "declare each first character of the protocol's codes, e.g. \"2\": Success",
                ));
        }
        out
    }

    /// The range of a `ranges` class key (reporting a key that is not one, or a
    /// first-character key that is not one character).
    fn class_range(&mut self, file: &Path, grouping: Grouping, key: &Key) -> Option<(u64, u64)> {
        let k = key.value.0.trim();
        if grouping == Grouping::Ranges {
            let r = parse_range(k);
            if r.is_none() {
                self.diags.push(
                    Diagnostic::error(
                        file,
                        pos(key),
                        format!("class `{k}` is not a range of codes"),
                    )
                    .with_help("write a range as low-high, e.g. \"1000-2999\""),
                );
            }
            return r;
        }
        if k.chars().count() != 1 {
            self.diags.push(
                Diagnostic::error(
                    file,
                    pos(key),
                    format!("class key `{k}` must be one character (a code's first)"),
                )
                .with_help(
                    "or write `grouping: ranges` to group codes by ranges such as \"1000-2999\"",
                ),
            );
        }
        None
    }

    /// A class's name and kind, written as text or as `{name, kind}`.
    fn class_name(
        &mut self,
        file: &Path,
        key: &str,
        value: Spanned<TextOr<RawClass>>,
    ) -> (Tr, Option<ClassKind>) {
        let (value, text_at) = split(value);
        match value {
            TextOr::Text(t) => (self.text(file, text_at(t)), None),
            TextOr::Fields(RawClass { name, kind }) => {
                let name = match name {
                    Some(n) => self.text(file, n),
                    None => {
                        self.diags.push(Diagnostic::error(
                            file,
                            pos(&text_at(Text::Plain(String::new()))),
                            format!("class `{key}` has no `name`"),
                        ));
                        Tr::default()
                    }
                };
                (name, kind.and_then(|kind| self.class_kind(file, &kind)))
            }
        }
    }

    fn class_kind(&mut self, file: &Path, kind: &Spanned<Scalar>) -> Option<ClassKind> {
        let given = kind.value.0.trim();
        let found = ClassKind::ALL.into_iter().find(|k| k.as_str() == given);
        if found.is_none() {
            self.diags.push(unknown(
                file,
                pos(kind),
                format!("class kind `{given}` is not known"),
                given,
                ClassKind::ALL.iter().map(|k| k.as_str()),
            ));
        }
        found
    }

    /// One declared fact: a label (free text), or `{label, values}` (typed).
    fn fact(&mut self, file: &Path, key: Key, decl: Spanned<TextOr<RawFact>>) -> Fact {
        let k = key.value.0.trim().to_owned();
        if !is_key(&k) {
            self.diags.push(Diagnostic::error(
                file,
                pos(&key),
                format!("fact key `{k}` must be letters, digits, _ or -"),
            ));
        }
        let at = pos(&decl);
        let (decl, text_at) = split(decl);
        match decl {
            TextOr::Text(t) => Fact {
                key: k,
                label: self.text(file, text_at(t)),
                values: Vec::new(),
            },
            TextOr::Fields(RawFact { label, values }) => {
                let label = match label {
                    Some(l) => self.text(file, l),
                    None => {
                        self.diags.push(Diagnostic::error(
                            file,
                            at,
                            format!("fact `{k}` has no `label`"),
                        ));
                        Tr::default()
                    }
                };
                let values = match values {
                    Some(v) if !v.value.0.is_empty() => {
                        self.groups(file, v.value, "value", is_key, "letters, digits, _ or -")
                    }
                    _ => {
                        self.diags.push(
                            Diagnostic::error(file, at, format!("fact `{k}` lists no `values`"))
                                .with_help("list the values codes may take, e.g. values: {\"no\": No, later: \"Yes, later\"}; or write only the label for a free-text fact"),
                        );
                        Vec::new()
                    }
                };
                Fact {
                    key: k,
                    label,
                    values,
                }
            }
        }
    }

    fn code(&mut self, protocol: &Protocol, parsed: Parsed<RawCode>) -> Option<Code> {
        let file = &parsed.file;
        let raw = parsed.value;
        let id = parsed.stem.as_str();
        let mut ok = true;
        if !super::is_code_id(id) {
            self.diags.push(
                Diagnostic::error(file, Pos::FILE, format!("`{id}` is not a valid code: a file name is the code, made of letters, digits, `.`, `_` and `-`, not ending in `.`, and not a name Windows reserves (CON, NUL, COM1…)"))
                    .with_help("rename the file, e.g. `421.yaml`"),
            );
            ok = false;
        }
        let class = if ok {
            self.class_of(protocol, file, id)
        } else {
            None
        };
        let has_class = protocol.grouping == Grouping::None || class.is_some();
        let second = id.chars().nth(1).map(String::from).unwrap_or_default();
        let category = protocol.categories.iter().position(|c| c.key == second);
        let status = raw
            .status
            .as_ref()
            .map_or(Status::Standard, |s| self.status(file, s));
        let facts = self.fact_values(protocol, file, raw.facts);
        let code = Code {
            id: id.to_owned(),
            file: file.clone(),
            name: self.text(file, raw.name),
            description: self.text(file, raw.description),
            when: self.text(file, raw.when),
            fix: self.text(file, raw.fix),
            condition: raw.condition.map(|c| self.text(file, c)),
            guidance: raw.guidance.map(|g| self.text(file, g)),
            references: self.references(file, raw.references),
            status,
            class,
            category,
            facts,
        };
        (ok && has_class).then_some(code)
    }

    /// A code's registry status; an unknown one is reported and read as `standard`.
    fn status(&mut self, file: &Path, s: &Spanned<Scalar>) -> Status {
        let given = s.value.0.trim();
        Status::parse(given).unwrap_or_else(|| {
            self.diags.push(unknown(
                file,
                pos(s),
                format!(
                    "status `{given}` is not one of {}",
                    list(Status::ALL.iter().map(|s| s.as_str()))
                ),
                given,
                Status::ALL.iter().map(|s| s.as_str()),
            ));
            Status::Standard
        })
    }

    /// A code's facts in the order the protocol declares them; a fact the protocol does not
    /// declare is reported.
    fn fact_values(
        &mut self,
        protocol: &Protocol,
        file: &Path,
        raw: Entries<Key, Spanned<TextOr<RawFactChoice>>>,
    ) -> Vec<Option<FactValue>> {
        let mut facts: Vec<Option<FactValue>> = vec![None; protocol.facts.len()];
        for (key, value) in raw.0 {
            let k = key.value.0.trim();
            match protocol.facts.iter().position(|f| f.key == k) {
                Some(i) => facts[i] = self.fact_value(file, &protocol.facts[i], value),
                None => {
                    let known = protocol.facts.iter().map(|f| f.key.as_str());
                    let mut d = Diagnostic::error(
                        file,
                        pos(&key),
                        format!(
                            "fact `{k}` is not declared in content/{}/_protocol.yaml",
                            protocol.id
                        ),
                    );
                    d = d.with_help(match did_you_mean(k, known.clone()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "declare it under `facts:` in _protocol.yaml (declared: {})",
                            list(known)
                        ),
                    });
                    self.diags.push(d);
                }
            }
        }
        facts
    }

    /// The class of code `id`, reporting a code that fits none.
    fn class_of(&mut self, protocol: &Protocol, file: &Path, id: &str) -> Option<usize> {
        let declared = || list(protocol.classes.iter().map(|c| c.key.as_str()));
        if protocol.classes.is_empty() {
            // _protocol.yaml is already reported (no classes); one error, not one per code.
            return None;
        }
        match protocol.grouping {
            Grouping::None => None,
            Grouping::FirstCharacter => {
                let first = id.chars().next().map(String::from).unwrap_or_default();
                let found = protocol.classes.iter().position(|c| c.key == first);
                if found.is_none() {
                    self.diags.push(
                        Diagnostic::error(file, Pos::FILE, format!("code `{id}` is in class `{first}`, which content/{}/_protocol.yaml does not declare", protocol.id))
                            .with_help(format!("declared classes: {}; add `\"{first}\": ...` under classes", declared())),
                    );
                }
                found
            }
            Grouping::Ranges => {
                let number = id
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| id.parse::<u64>().ok())
                    .flatten();
                let found = number.and_then(|n| {
                    protocol
                        .classes
                        .iter()
                        .position(|c| c.range.is_some_and(|(lo, hi)| (lo..=hi).contains(&n)))
                });
                if found.is_none() {
                    let why = if number.is_some() {
                        "falls in none of the ranges"
                    } else {
                        "is not a decimal number, as codes grouped by ranges must be"
                    };
                    self.diags.push(
                        Diagnostic::error(
                            file,
                            Pos::FILE,
                            format!(
                                "code `{id}` {why} of content/{}/_protocol.yaml",
                                protocol.id
                            ),
                        )
                        .with_help(format!("declared ranges: {}", declared())),
                    );
                }
                found
            }
        }
    }

    /// A code's value of `fact`: a value key or `{value, note}` for a typed fact, text for a
    /// free-text one.
    fn fact_value(
        &mut self,
        file: &Path,
        fact: &Fact,
        value: Spanned<TextOr<RawFactChoice>>,
    ) -> Option<FactValue> {
        let at = pos(&value);
        let keys = || fact.values.iter().map(|v| v.key.as_str());
        let choose = |this: &mut Self, given: &str, at: Pos| {
            let found = fact.values.iter().position(|v| v.key == given);
            if found.is_none() {
                this.diags.push(unknown(
                    file,
                    at,
                    format!("`{given}` is not a value of fact `{}`", fact.key),
                    given,
                    keys(),
                ));
            }
            found
        };
        let (value, text_at) = split(value);
        match value {
            TextOr::Text(Text::Plain(s)) if fact.is_typed() => {
                let value = choose(self, s.trim(), at)?;
                Some(FactValue::Typed { value, note: None })
            }
            TextOr::Text(_) if fact.is_typed() => {
                self.diags.push(
                    Diagnostic::error(
                        file,
                        at,
                        format!("fact `{}` takes one of its values, not text", fact.key),
                    )
                    .with_help(format!(
                        "write one of: {}; explain it under `note`, as {{value: {}, note: ...}}",
                        list(keys()),
                        keys().next().unwrap_or("...")
                    )),
                );
                None
            }
            TextOr::Text(t) => Some(FactValue::Text(self.text(file, text_at(t)))),
            TextOr::Fields(RawFactChoice { value: v, note }) => {
                if !fact.is_typed() {
                    self.diags.push(
                        Diagnostic::error(file, at, format!("fact `{}` is free text", fact.key))
                            .with_help("write its text, e.g. {en: ..., zh: ...}; `value` and `note` are for facts declared with values"),
                    );
                    return None;
                }
                let Some(v) = v else {
                    self.diags.push(Diagnostic::error(
                        file,
                        at,
                        format!("fact `{}` has a note but no `value`", fact.key),
                    ));
                    return None;
                };
                let value = choose(self, v.value.0.trim(), pos(&v))?;
                let note = note.map(|n| self.text(file, n));
                Some(FactValue::Typed { value, note })
            }
        }
    }

    /// Codes whose names differ only in letter case are written to folders that collide on
    /// macOS and Windows.
    fn case_collisions(&mut self, codes: &[Code]) {
        let mut seen: HashMap<String, &Code> = HashMap::new();
        for c in codes {
            if let Some(other) = seen.insert(c.id.to_ascii_lowercase(), c) {
                self.diags.push(
                    Diagnostic::error(
                        &c.file,
                        Pos::FILE,
                        format!(
                            "code `{}` differs from code `{}` only in letter case",
                            c.id, other.id
                        ),
                    )
                    .with_help("their pages would be one folder on macOS and Windows; rename one"),
                );
            }
        }
    }

    /// The two codes a note names, as ids and indices (reporting unknown or equal codes).
    fn note_codes<'c>(
        &mut self,
        file: &Path,
        protocol: &str,
        codes: &'c [Code],
        raw: &Spanned<Vec<Spanned<Scalar>>>,
    ) -> Option<(&'c str, &'c str, usize, usize)> {
        let at = pos(raw);
        let [a, b] = raw.value.as_slice() else {
            self.diags.push(
                Diagnostic::error(file, at, "a note names exactly two codes")
                    .with_help("write codes: [401, 403]"),
            );
            return None;
        };
        let mut find = |c: &Spanned<Scalar>| {
            let id = c.value.0.trim();
            let found = codes.iter().position(|code| code.id == id);
            // A code whose own file has an error is not "unknown": that error says it all.
            let unreadable = self.diags.has_error_in(
                &Path::new("content")
                    .join(protocol)
                    .join(format!("{id}.yaml")),
            );
            if found.is_none() && !unreadable {
                self.diags.push(unknown(
                    file,
                    pos(c),
                    format!("`{id}` is not a code of content/{protocol}"),
                    id,
                    codes.iter().map(|c| c.id.as_str()),
                ));
            }
            found
        };
        let (ia, ib) = (find(a), find(b));
        let (ia, ib) = (ia?, ib?);
        if ia == ib {
            self.diags.push(Diagnostic::error(
                file,
                at,
                "a note compares two different codes",
            ));
            return None;
        }
        Some((&codes[ia].id, &codes[ib].id, ia, ib))
    }

    /// Reports each language of `tr` that has no sentence naming both codes.
    fn names_both(&mut self, file: &Path, field: &str, at: Pos, tr: &Tr, a: &str, b: &str) {
        for (lang, text) in tr.texts.iter().enumerate() {
            let Some(text) = text else { continue };
            if !prose::names_both(text, a, b) {
                self.diags.push(
                    Diagnostic::error(file, at, format!("the `{}` text of `{field}` has no sentence naming both {a} and {b}", self.ids[lang]))
                        .with_help(format!("say it in one sentence naming both, e.g. \"{a} … whereas {b} …\" (a sentence ends at . ; ! ?)")),
                );
            }
        }
    }

    /// `_pairs.yaml`: each note names two codes of the protocol, once per pair, and its
    /// `which` decides between them in a sentence naming both.
    fn notes(&mut self, protocol: &str, codes: &[Code], pairs: Parsed<RawPairs>) -> Vec<PairNote> {
        let file = &pairs.file;
        let mut notes: Vec<PairNote> = Vec::with_capacity(pairs.value.len());
        for raw in pairs.value {
            let at = pos(&raw.codes);
            let difference = self.text(file, raw.difference);
            let which_at = pos(&raw.which);
            let which = self.text(file, raw.which);
            let contrasts: Vec<(Pos, Tr)> = raw
                .contrasts
                .into_iter()
                .map(|c| (pos(&c), self.text(file, c)))
                .collect();
            let Some((a, b, ia, ib)) = self.note_codes(file, protocol, codes, &raw.codes) else {
                continue;
            };
            let named = [("which", which_at, &which)]
                .into_iter()
                .chain(contrasts.iter().map(|(at, t)| ("contrasts", *at, t)));
            for (field, at, tr) in named {
                self.names_both(file, field, at, tr, a, b);
            }
            let (lo, hi) = (ia.min(ib), ia.max(ib));
            if notes.iter().any(|n| (n.a.get(), n.b.get()) == (lo, hi)) {
                self.diags.push(Diagnostic::error(
                    file,
                    at,
                    format!("the pair {a} and {b} has a note already"),
                ));
                continue;
            }
            notes.push(PairNote {
                a: CodeIdx::at(lo),
                b: CodeIdx::at(hi),
                difference,
                which,
                contrasts: contrasts.into_iter().map(|(_, t)| t).collect(),
            });
        }
        notes.sort_by_key(|n| (n.a, n.b));
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_low_high() {
        assert_eq!(parse_range("1000-2999"), Some((1000, 2999)));
        assert_eq!(parse_range(" 0 - 15 "), Some((0, 15)));
        assert_eq!(parse_range("15-0"), None);
        assert_eq!(parse_range("a-b"), None);
        assert_eq!(parse_range("7"), None);
    }
}
