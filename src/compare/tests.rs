//! The comparison wording in both shipped languages, on FTP codes as the seed page has them.

use super::*;
use crate::locale::builtin;
use crate::model::Status;
use crate::render::prepare::CodeText;

fn code(
    id: &str,
    class: (&str, &str),
    name: &str,
    summary: &str,
    when: &str,
    facts: &[&str],
) -> CodeText {
    CodeText {
        id: id.into(),
        class_label: crate::render::prepare::class_label(id),
        class_key: class.0.into(),
        class_html: class.1.into(),
        category: Some((
            crate::render::prepare::category_label(id),
            format!("cat-{}", &id[1..2]),
        )),
        name_html: name.into(),
        name_plain: name.into(),
        summary_html: summary.into(),
        summary_plain: summary.into(),
        description_html: "".into(),
        when_html: "".into(),
        when_inline: when.into(),
        fix_html: "".into(),
        guidance_inline: None,
        facts: facts.iter().map(|f| Some((*f).to_owned())).collect(),
        status: Status::Standard,
        status_html: "".into(),
        references: Vec::new(),
    }
}

fn ftp200(lang: &str) -> CodeText {
    let (class, name, summary) = match lang {
        "zh" => ("肯定完成", "命令正常", "服务器已成功执行该命令。"),
        _ => (
            "Positive Completion",
            "Command Okay",
            "The command was carried out.",
        ),
    };
    code(
        "200",
        ("2", class),
        name,
        summary,
        "After a simple command.",
        &["No", "Stays open"],
    )
}

fn ftp421(lang: &str) -> CodeText {
    let (class, name, summary) = match lang {
        "zh" => ("暂时否定完成", "服务不可用", "服务器即将关闭控制连接。"),
        _ => (
            "Transient Negative Completion",
            "Service Not Available",
            "The server is closing the control connection.",
        ),
    };
    code(
        "421",
        ("4", class),
        name,
        summary,
        "At shutdown or when full.",
        &["Yes, later", "Closed by the server"],
    )
}

fn ftp226() -> CodeText {
    code(
        "226",
        ("2", "Positive Completion"),
        "Closing Data Connection",
        "The transfer finished.",
        "After a transfer.",
        &["No", "Stays open"],
    )
}

const FACTS: [&str; 2] = ["Retry", "Control connection"];

#[test]
fn ftp_200_vs_421_in_english_contrasts_the_classes() {
    let c = compare(
        "FTP",
        &FACTS.map(String::from),
        &ftp200("en"),
        &ftp421("en"),
        &builtin("en", "en"),
    );
    assert_eq!(
        c.lead,
        "FTP 200 (Command Okay) is a 2xx code (Positive Completion), while 421 (Service Not Available) is a 4xx code (Transient Negative Completion)."
    );
    assert_eq!(
        c.differences[0],
        "200 is in class 2xx (Positive Completion), whereas 421 is in class 4xx (Transient Negative Completion)."
    );
    assert_eq!(
        c.differences[1],
        "200 (Command Okay) means: The command was carried out."
    );
    assert_eq!(c.differences[3], "When 200 occurs: After a simple command.");
    assert!(
        c.differences
            .contains(&"Retry: 200 — No; 421 — Yes, later.".to_owned()),
        "{:#?}",
        c.differences
    );
    assert!(
        c.differences
            .iter()
            .any(|d| d.starts_with("Control connection: 200 — Stays open"))
    );
    assert!(
        c.differences
            .iter()
            .any(|d| d.starts_with("200 concerns cat-0"))
    );
    assert_eq!(c.guidance[1], "Expect 421 here: At shutdown or when full.");
}

#[test]
fn ftp_200_vs_421_in_chinese_reads_without_calques() {
    let c = compare(
        "FTP",
        &["重试".to_owned(), "控制连接".to_owned()],
        &ftp200("zh"),
        &ftp421("zh"),
        &builtin("zh", "zh-Hans"),
    );
    assert_eq!(
        c.lead,
        "FTP 200（命令正常）属于 2xx 类（肯定完成），421（服务不可用）则属于 4xx 类（暂时否定完成）。"
    );
    assert_eq!(
        c.differences[1],
        "200（命令正常）的含义：服务器已成功执行该命令。"
    );
    assert!(
        c.differences
            .iter()
            .all(|d| !d.contains("while") && !d.contains("当")),
        "{:#?}",
        c.differences
    );
}

#[test]
fn same_class_pairs_say_both_and_name_the_class_once() {
    let c = compare(
        "FTP",
        &FACTS.map(String::from),
        &ftp200("en"),
        &ftp226(),
        &builtin("en", "en"),
    );
    assert_eq!(
        c.differences[0],
        "Both 200 and 226 are 2xx codes, the Positive Completion class."
    );
    assert_eq!(c.differences[0].matches("Positive Completion").count(), 1);
    assert!(c.lead.contains("are both 2xx codes"));
}

#[test]
fn equal_facts_add_no_item_and_differing_ones_do() {
    let en = builtin("en", "en");
    let same = compare(
        "FTP",
        &FACTS.map(String::from),
        &ftp200("en"),
        &ftp226(),
        &en,
    );
    assert!(!same.differences.iter().any(|d| d.starts_with("Retry")));
    let diff = compare(
        "FTP",
        &FACTS.map(String::from),
        &ftp200("en"),
        &ftp421("en"),
        &en,
    );
    assert_eq!(diff.differences.len(), same.differences.len() + 2);
}

#[test]
fn every_pair_has_at_least_five_differences() {
    let c = compare("FTP", &[], &ftp200("en"), &ftp226(), &builtin("en", "en"));
    assert!(c.differences.len() >= 5, "{:#?}", c.differences);
}

#[test]
fn status_difference_is_stated() {
    let mut b = ftp421("en");
    b.status = Status::Unofficial;
    let c = compare("FTP", &[], &ftp200("en"), &b, &builtin("en", "en"));
    assert_eq!(
        c.differences.last().map(String::as_str),
        Some("200 is defined by a standard, whereas 421 is unofficial, defined by no standard.")
    );
}

#[test]
fn guidance_field_wins_over_the_fallback() {
    let mut a = ftp200("en");
    a.guidance_inline = Some("Send it for a bare command.".into());
    let c = compare("FTP", &[], &a, &ftp421("en"), &builtin("en", "en"));
    assert_eq!(c.guidance[0], "Send it for a bare command.");
}

#[test]
fn protocol_name_is_escaped() {
    let c = compare(
        "<X>",
        &[],
        &ftp200("en"),
        &ftp421("en"),
        &builtin("en", "en"),
    );
    assert!(c.lead.starts_with("&lt;X&gt; 200"));
}
