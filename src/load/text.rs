//! Serde building blocks for the content files: translatable text and maps that keep their
//! keys' positions (so a misspelt fact or language can be pointed at, line and column).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// A translatable value as written (SPEC §2): a plain string, which is the default
/// locale's text, or a map from locale id to text.
#[derive(Debug, Clone)]
pub(crate) enum Text {
    Plain(String),
    ByLang(Vec<(Spanned<String>, String)>),
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text, or a map from language to text such as {en: ..., zh: ...}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Text, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<Spanned<String>, Scalar>()? {
                    out.push((k, v.0));
                }
                Ok(Text::ByLang(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A value written either as translatable text or as a map of named fields, told apart by
/// the map's first key: one of `T`'s field names means the fields (a class written
/// `{name: ..., kind: interim}`), anything else a language (`{en: ..., zh: ...}`).
#[derive(Debug, Clone)]
pub(crate) enum TextOr<T> {
    Text(Text),
    Fields(T),
}

/// The named fields of a [`TextOr`] value, read one by one from the map.
pub(crate) trait Fields: Default {
    /// The field names; a map whose first key is one of them holds fields.
    const FIELDS: &'static [&'static str];
    /// Reads the value of `key` (one of [`Self::FIELDS`]).
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

impl<'de, T: Fields> Deserialize<'de> for TextOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Fields> Visitor<'de> for V<T> {
            type Value = TextOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a text, a map from language to text, or a map of {}",
                    T::FIELDS.join(", ")
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TextOr::Text(Text::Plain(v.to_owned())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let Some(first) = m.next_key::<Spanned<String>>()? else {
                    return Ok(TextOr::Text(Text::ByLang(Vec::new())));
                };
                if !T::FIELDS.contains(&first.value.as_str()) {
                    let mut out = vec![(first, m.next_value::<Scalar>()?.0)];
                    while let Some((k, v)) = m.next_entry::<Spanned<String>, Scalar>()? {
                        out.push((k, v.0));
                    }
                    return Ok(TextOr::Text(Text::ByLang(out)));
                }
                let mut fields = T::default();
                fields.read(&first.value, &mut m)?;
                while let Some(key) = m.next_key::<Spanned<String>>()? {
                    if !T::FIELDS.contains(&key.value.as_str()) {
                        return Err(de::Error::unknown_field(&key.value, T::FIELDS));
                    }
                    fields.read(&key.value, &mut m)?;
                }
                Ok(TextOr::Fields(fields))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A scalar read as text whatever YAML would infer it to be (`Yes`, `200`, `1.5`), since
/// every value in a content file is text for a reader.
#[derive(Debug, Clone)]
pub(crate) struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A YAML mapping kept as an ordered list of entries, so keys can carry their positions
/// (`Spanned<String>` is not `Ord`, and a `BTreeMap` would lose the author's order).
#[derive(Debug, Clone)]
pub(crate) struct Entries<K, V>(pub Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for Vis<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = m.next_entry::<K, V>()? {
                    out.push(e);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// Map keys written as `"2"` or as `2` both mean the text `2`.
pub(crate) type Key = Spanned<Scalar>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Doc {
        t: Text,
    }

    fn parse(yaml: &str) -> Result<Doc, serde_saphyr::Error> {
        serde_saphyr::from_str_with_options(yaml, crate::load::yaml::options())
    }

    #[test]
    fn plain_and_per_language_text() {
        let d: Doc = parse("t: hello\n").unwrap();
        assert!(matches!(d.t, Text::Plain(s) if s == "hello"));
        let d: Doc = parse("t: {en: Yes, zh: 是}\n").unwrap();
        let Text::ByLang(v) = d.t else {
            panic!("expected a map")
        };
        assert_eq!(v[0].0.value, "en");
        assert_eq!(v[0].1, "Yes");
        assert_eq!(v[1].1, "是");
    }

    #[test]
    fn scalars_that_look_like_numbers_stay_text() {
        let d: Doc = parse("t: {en: 200}\n").unwrap();
        let Text::ByLang(v) = d.t else {
            panic!("expected a map")
        };
        assert_eq!(v[0].1, "200");
    }

    #[derive(Debug, Default)]
    struct Pair {
        name: Option<String>,
        kind: Option<String>,
    }

    impl Fields for Pair {
        const FIELDS: &'static [&'static str] = &["name", "kind"];
        fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
            let v = Some(map.next_value::<Scalar>()?.0);
            match key {
                "name" => self.name = v,
                _ => self.kind = v,
            }
            Ok(())
        }
    }

    #[derive(Debug, Deserialize)]
    struct Either {
        t: TextOr<Pair>,
    }

    #[test]
    fn text_or_fields_is_told_apart_by_the_first_key() {
        let parse = |y: &str| {
            serde_saphyr::from_str_with_options::<Either>(y, crate::load::yaml::options())
        };
        assert!(
            matches!(parse("t: Hello\n").unwrap().t, TextOr::Text(Text::Plain(s)) if s == "Hello")
        );
        assert!(
            matches!(parse("t: {en: A, zh: B}\n").unwrap().t, TextOr::Text(Text::ByLang(v)) if v.len() == 2)
        );
        let TextOr::Fields(p) = parse("t: {name: A, kind: interim}\n").unwrap().t else {
            panic!("fields expected")
        };
        assert_eq!(
            (p.name.as_deref(), p.kind.as_deref()),
            (Some("A"), Some("interim"))
        );
        let err = parse("t: {name: A, knd: x}\n").unwrap_err().to_string();
        assert!(err.contains("knd"), "{err}");
    }

    #[test]
    fn a_list_is_not_text() {
        assert!(parse("t: [1, 2]\n").is_err());
    }
}
