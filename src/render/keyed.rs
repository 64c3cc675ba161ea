//! Template values that carry a fingerprint of exactly what they hold. A page's context is
//! built only from these, so the page's key — the fingerprint of every value its template
//! receives — changes whenever anything a template could print changes, whatever the
//! template does with it: incremental builds are correct by construction.
//!
//! Values every page of a language shares are built (and fingerprinted) once; a page then
//! costs a clone (Tera values share their data) and a few words of hashing per value.

use tera::value::Key;
use tera::{Context, Value};

use crate::fingerprint::Fingerprint;

/// A template value and the fingerprint of its content.
#[derive(Debug, Clone)]
pub(crate) struct Keyed {
    value: Value,
    key: u64,
}

/// Tags keep values of different shapes apart ("1" the text, 1 the number).
const TEXT: u64 = 1;
const SAFE: u64 = 2;
const NUMBER: u64 = 3;
const BOOL: u64 = 4;
const LIST: u64 = 5;
const OBJECT: u64 = 6;
const EXTENDED: u64 = 7;

impl Keyed {
    /// Text that the template escapes.
    pub(crate) fn text(s: &str) -> Keyed {
        // Text with nothing to escape prints the same either way; marked safe, Tera writes
        // it as it is instead of scanning it again on every page that prints it (paths,
        // ids, names: most of a page's values).
        let value = if s
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
        {
            Value::normal_string(s)
        } else {
            Value::safe_string(s)
        };
        Keyed {
            value,
            key: Fingerprint::new().u64(TEXT).str(s).finish(),
        }
    }

    /// HTML, safe to print as it is.
    pub(crate) fn html(s: &str) -> Keyed {
        Keyed {
            value: Value::safe_string(s),
            key: Fingerprint::new().u64(SAFE).str(s).finish(),
        }
    }

    pub(crate) fn number(n: usize) -> Keyed {
        Keyed {
            value: Value::from(n),
            key: Fingerprint::new().u64(NUMBER).u64(n as u64).finish(),
        }
    }

    pub(crate) fn bool(b: bool) -> Keyed {
        Keyed {
            value: Value::from(b),
            key: Fingerprint::new().u64(BOOL).u64(u64::from(b)).finish(),
        }
    }

    pub(crate) fn list(items: impl IntoIterator<Item = Keyed>) -> Keyed {
        let mut f = Fingerprint::new().u64(LIST);
        let values: Vec<Value> = items
            .into_iter()
            .map(|k| {
                f = f.u64(k.key);
                k.value
            })
            .collect();
        Keyed {
            key: f.u64(values.len() as u64).finish(),
            value: Value::from(values),
        }
    }

    /// An object of named fields. Fingerprinted in the order the fields are given: each
    /// object is built by one piece of code, always in the same order.
    pub(crate) fn object(fields: impl IntoIterator<Item = (&'static str, Keyed)>) -> Keyed {
        Keyed::object_of(fields.into_iter().map(|(n, k)| (Key::Str(n), k)))
    }

    /// An object of fields named at run time (the names of template parts).
    pub(crate) fn object_named(fields: impl IntoIterator<Item = (String, Keyed)>) -> Keyed {
        Keyed::object_of(fields.into_iter().map(|(n, k)| (Key::String(n.into()), k)))
    }

    fn object_of(fields: impl Iterator<Item = (Key<'static>, Keyed)>) -> Keyed {
        let mut f = Fingerprint::new().u64(OBJECT);
        let mut map = tera::Map::with_capacity(fields.size_hint().0);
        for (name, k) in fields {
            f = f.str(name.as_str().unwrap_or_default()).u64(k.key);
            map.insert(name, k.value);
        }
        Keyed {
            key: f.u64(map.len() as u64).finish(),
            value: Value::from(map),
        }
    }

    /// This object with one more field (or its field of that name replaced).
    pub(crate) fn with(&self, name: &'static str, field: Keyed) -> Keyed {
        let mut map = self.value.as_map().cloned().unwrap_or_default();
        map.insert(Key::Str(name), field.value);
        Keyed {
            key: Fingerprint::new()
                .u64(EXTENDED)
                .u64(self.key)
                .str(name)
                .u64(field.key)
                .finish(),
            value: Value::from(map),
        }
    }

    #[cfg(test)]
    fn key(&self) -> u64 {
        self.key
    }

    pub(crate) fn value(&self) -> Value {
        self.value.clone()
    }
}

/// A template context whose fingerprint covers every value put into it, and the template
/// and the template set it is rendered with.
#[derive(Clone)]
pub(crate) struct KeyedContext {
    ctx: Context,
    key: Fingerprint,
}

impl KeyedContext {
    pub(crate) fn new(template: &str, templates_key: u64) -> KeyedContext {
        KeyedContext {
            ctx: Context::new(),
            key: Fingerprint::new().u64(templates_key).str(template),
        }
    }

    pub(crate) fn insert(&mut self, name: &'static str, value: &Keyed) {
        self.key = self.key.str(name).u64(value.key);
        self.ctx.insert_value(name, value.value());
    }

    /// The context and the page's key.
    pub(crate) fn finish(self) -> (Context, u64) {
        (self.ctx, self.key.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_follows_the_content() {
        let a = Keyed::object([
            ("x", Keyed::text("1")),
            ("y", Keyed::list([Keyed::html("<b>")])),
        ]);
        let same = Keyed::object([
            ("x", Keyed::text("1")),
            ("y", Keyed::list([Keyed::html("<b>")])),
        ]);
        assert_eq!(a.key(), same.key());
        let renamed = Keyed::object([
            ("z", Keyed::text("1")),
            ("y", Keyed::list([Keyed::html("<b>")])),
        ]);
        assert_ne!(a.key(), renamed.key(), "field names count");
        let other = Keyed::object([
            ("x", Keyed::text("2")),
            ("y", Keyed::list([Keyed::html("<b>")])),
        ]);
        assert_ne!(a.key(), other.key());
        assert_ne!(Keyed::text("1").key(), Keyed::number(1).key());
        assert_ne!(Keyed::text("<b>").key(), Keyed::html("<b>").key());
    }

    #[test]
    fn an_extended_object_has_the_field_and_a_key_that_follows_it() {
        let base = Keyed::object([("x", Keyed::text("1"))]);
        let parts = |html: &str| Keyed::object_named([("card".to_owned(), Keyed::html(html))]);
        let a = base.with("parts", parts("<p>a</p>"));
        let map = a.value.as_map().unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(
            a.value.get_from_path("parts.card").and_then(Value::as_str),
            Some("<p>a</p>")
        );
        assert_eq!(a.key(), base.with("parts", parts("<p>a</p>")).key());
        assert_ne!(a.key(), base.with("parts", parts("<p>b</p>")).key());
        assert_ne!(a.key(), base.key());
        assert_ne!(
            parts("x").key(),
            Keyed::object_named([("other".to_owned(), Keyed::html("x"))]).key(),
            "part names count"
        );
    }

    #[test]
    fn a_context_key_covers_names_values_and_template() {
        let key = |template: &str, name: &'static str, v: &Keyed| {
            let mut c = KeyedContext::new(template, 7);
            c.insert(name, v);
            c.finish().1
        };
        let v = Keyed::text("x");
        assert_eq!(key("pair.html", "a", &v), key("pair.html", "a", &v));
        assert_ne!(key("pair.html", "a", &v), key("code.html", "a", &v));
        assert_ne!(key("pair.html", "a", &v), key("pair.html", "b", &v));
        assert_ne!(
            key("pair.html", "a", &v),
            key("pair.html", "a", &Keyed::text("y"))
        );
    }
}
