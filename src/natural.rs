//! Natural order of codes (SPEC §3): runs of digits compare by numeric value, other runs
//! bytewise, and a digit run sorts before any other run. So `2` < `10` < `10a` < `a`.

use std::cmp::Ordering;

/// One run of a code: digits or anything else.
#[derive(Debug, PartialEq, Eq)]
enum Run<'a> {
    Digits(&'a str),
    Other(&'a str),
}

fn runs(code: &str) -> impl Iterator<Item = Run<'_>> {
    let mut rest = code;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digit = first.is_ascii_digit();
        let end = rest
            .find(|c: char| c.is_ascii_digit() != digit)
            .unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some(if digit {
            Run::Digits(run)
        } else {
            Run::Other(run)
        })
    })
}

/// Compares two digit strings by numeric value without parsing (they may be longer than
/// any integer type): strip leading zeros, then the longer is larger, then bytewise.
/// Equal values with different zero padding fall back to the padding so the order is total.
fn cmp_digits(a: &str, b: &str) -> Ordering {
    let (ta, tb) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    ta.len()
        .cmp(&tb.len())
        .then_with(|| ta.cmp(tb))
        .then_with(|| a.len().cmp(&b.len()))
}

/// The natural order of two codes.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let mut ra = runs(a);
    let mut rb = runs(b);
    loop {
        let ord = match (ra.next(), rb.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(Run::Digits(x)), Some(Run::Digits(y))) => cmp_digits(x, y),
            (Some(Run::Digits(_)), Some(Run::Other(_))) => Ordering::Less,
            (Some(Run::Other(_)), Some(Run::Digits(_))) => Ordering::Greater,
            (Some(Run::Other(x)), Some(Run::Other(y))) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(codes: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = codes.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn numbers_compare_by_value_not_text() {
        assert_eq!(sorted(&["10", "9", "100", "2"]), ["2", "9", "10", "100"]);
    }

    #[test]
    fn digit_run_sorts_before_other_run() {
        assert_eq!(
            sorted(&["a1", "1a", "1", "1-b", "1.5"]),
            ["1", "1-b", "1.5", "1a", "a1"]
        );
    }

    #[test]
    fn mixed_codes_compare_run_by_run() {
        assert_eq!(
            sorted(&["5.1.10", "5.1.2", "4.7.0", "5.10.1"]),
            ["4.7.0", "5.1.2", "5.1.10", "5.10.1"]
        );
    }

    #[test]
    fn huge_digit_runs_do_not_overflow() {
        let big = "9".repeat(60);
        assert_eq!(compare(&big, &format!("1{big}")), Ordering::Less);
        assert_eq!(compare("007", "7"), Ordering::Greater);
        assert_eq!(compare("7", "7"), Ordering::Equal);
    }
}
