//! Sentences of plain text, and whether one names a code: what pair-note validation and the
//! comparison checks of `versus check` look for ("a sentence naming both codes"). Sentences
//! end at `.`, `!`, `?`, `;` and their CJK forms, as the spec's checker reads them.

/// Where sentences end.
const ENDS: [char; 8] = ['.', '!', '?', ';', '。', '！', '？', '；'];

/// The sentences of `text`, trimmed, empty ones left out.
pub(crate) fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(ENDS).map(str::trim).filter(|s| !s.is_empty())
}

/// The first sentence of `text` (all of it when it has one), trimmed.
pub(crate) fn first(text: &str) -> &str {
    text.split(ENDS).next().unwrap_or(text).trim()
}

/// Whether `text` is at most one sentence: nothing follows its first end.
pub(crate) fn is_one(text: &str) -> bool {
    sentences(text).nth(1).is_none()
}

/// Whether `sentence` names `code` as a word: not inside a longer code or number (`401` is
/// not named by `4010` or `1.401`).
pub(crate) fn names(code: &str, sentence: &str) -> bool {
    find(code, sentence).is_some()
}

/// Where `text` first names `code` as a word (see [`names`]).
pub(crate) fn find(code: &str, text: &str) -> Option<usize> {
    if code.is_empty() {
        return None;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(code).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let mut after = text[i + code.len()..].chars();
        let (next, then) = (after.next(), after.next());
        // Not inside a longer code or number (`4010`, `1.401`, `5.3`), nor a section
        // number (`§5`).
        let inside_number = next == Some('.') && then.is_some_and(|c| c.is_ascii_digit());
        !(before.is_some_and(|c| word(c) || c == '.' || c == '§')
            || next.is_some_and(word)
            || inside_number)
    })
}

/// Whether some sentence of `text` names both `a` and `b`.
pub(crate) fn names_both(text: &str, a: &str, b: &str) -> bool {
    sentences(text).any(|s| names(a, s) && names(b, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_in_both_scripts() {
        let v: Vec<&str> = sentences("Use 401 here; use 403 there. 用 401。好！").collect();
        assert_eq!(v, ["Use 401 here", "use 403 there", "用 401", "好"]);
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first("None; see the SDP."), "None");
        assert_eq!(first("None"), "None");
        assert!(is_one("Closed by the server."));
        assert!(!is_one("None; see the SDP"));
    }

    #[test]
    fn names_a_code_only_as_a_whole_word() {
        assert!(names("401", "send 401 now"));
        assert!(names("401", "401（未授权）"));
        assert!(names("5.1.1", "code 5.1.1, then"));
        assert!(!names("401", "send 4010"));
        assert!(!names("401", "code 1.401"));
        assert!(!names("10", "code 100"));
        assert!(!names("5", "see RFC 7873 §5.3"), "a section is not a code");
        assert!(!names("5", "code 5.1.1"));
        assert!(names("5", "send 5. Then"), "a full stop ends the sentence");
        assert!(names_both(
            "Use 401 when a; use 403 when b. Both 401 and 403",
            "401",
            "403"
        ));
        assert!(!names_both("Use 401 when a; use 403 when b", "401", "403"));
    }
}
