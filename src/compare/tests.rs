//! The comparison engine on a small site read through the real stages (load, validate,
//! localize), in English and Chinese.

use super::*;
use crate::diagnostic::Diagnostics;
use crate::locale::Locale;
use crate::localize::Lang;
use crate::model::{LocaleIdx, Site};

const PROTOCOL: &str = r#"
name: FTP
title: {en: File Transfer Protocol, zh: 文件传输协议}
term: {en: reply code, zh: 应答码}
classes:
  "1": {name: {en: Positive Preliminary, zh: 肯定预备}, kind: interim}
  "2": {name: {en: Positive Completion, zh: 肯定完成}, kind: success}
  "4": {name: {en: Transient Negative Completion, zh: 暂时否定完成}, kind: transient-failure}
facts:
  retry:
    label: {en: Retry, zh: 重试}
    values:
      not-needed: {en: Not needed, zh: 无需重试}
      later: {en: "Yes, later", zh: 稍后重试}
  connection:
    label: {en: Control connection, zh: 控制连接}
    values:
      open: {en: Stays open, zh: 保持打开}
      closed: {en: Closed by the server, zh: 由服务器关闭}
  commands: {en: Typical commands, zh: 常见命令}
"#;

/// `(code, name en, name zh, retry, connection, commands, condition en, condition zh)`
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);
const CODES: &[Row] = &[
    (
        "150",
        "Opening Data Connection",
        "正在打开数据连接",
        "not-needed",
        "open",
        "RETR",
        "the transfer is about to start",
        "传输即将开始",
    ),
    (
        "200",
        "Command Okay",
        "命令成功",
        "not-needed",
        "open",
        "TYPE",
        "a command without a transfer succeeded",
        "不涉及传输的命令执行成功",
    ),
    (
        "226",
        "Closing Data Connection",
        "正在关闭数据连接",
        "not-needed",
        "open",
        "RETR",
        "a transfer finished",
        "一次传输完成",
    ),
    (
        "421",
        "Service Not Available",
        "服务不可用",
        "later",
        "closed",
        "any",
        "the server is about to close the session",
        "服务器即将结束会话",
    ),
    (
        "425",
        "Can't Open Data Connection",
        "无法打开数据连接",
        "later",
        "open",
        "RETR",
        "the data connection could not be opened",
        "无法建立数据连接",
    ),
];

const PAIRS: &str = r#"
- codes: [421, 200]
  difference: {en: 200 says the command worked; 421 says the whole session is over., zh: 200 表示命令成功；421 表示整个会话即将结束。}
  which: {en: Expect 200 after a successful command and 421 when the server hangs up., zh: 命令成功时收到 200，服务器挂断时收到 421。}
"#;

/// The test site, validated.
fn site() -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    w(
        "content/site.yaml",
        "title: T\nbase_url: https://x.org\ndefault_locale: en\n",
    );
    w("locales/en.yaml", "name: English\n");
    w("locales/zh.yaml", "name: 中文\nhtml_lang: zh-Hans\n");
    w("content/ftp/_protocol.yaml", PROTOCOL);
    w("content/ftp/_pairs.yaml", PAIRS);
    for (id, en, zh, retry, conn, cmd, cen, czh) in CODES {
        w(
            &format!("content/ftp/{id}.yaml"),
            &format!(
                "name: {{en: \"{en}\", zh: \"{zh}\"}}\ndescription: {{en: The {en} reply. More., zh: {zh}。}}\nwhen: {{en: Seen with {en}., zh: 见于{zh}。}}\nfix: {{en: Handle {en}., zh: 处理{zh}。}}\ncondition: {{en: \"{cen}\", zh: \"{czh}\"}}\nfacts:\n  retry: {retry}\n  connection: {conn}\n  commands: \"`{cmd}`\"\n"
            ),
        );
    }
    let mut diags = Diagnostics::default();
    let loaded = crate::load::load(dir.path(), &mut diags);
    let valid = crate::validate::validate(loaded, None, &mut diags);
    assert!(!diags.has_errors(), "{}", diags.render(dir.path(), false));
    valid.expect("valid").site
}

/// What a comparison says, owned (a [`Comparison`] borrows the localized text).
struct Said {
    difference: String,
    from_note: bool,
    shared: Option<String>,
    contrasts: Vec<String>,
    decision: String,
    /// `(label, differs)` of each row.
    rows: Vec<(String, bool)>,
}

/// Compares two codes (by id) of the test site in a language.
fn cmp(site: &Site, locale: u32, a: &str, b: &str) -> Said {
    let lang = Lang {
        site,
        locale: LocaleIdx(locale),
    };
    let p = &site.protocols[0];
    let text = lang.protocol(p);
    let idx = |id: &str| CodeIdx::at(p.codes.iter().position(|c| c.id == id).expect("a code"));
    let loc: &Locale = lang.loc();
    let c = compare(&text, idx(a), idx(b), loc);
    Said {
        rows: c
            .rows
            .iter()
            .map(|r| (r.label.to_owned(), r.differs))
            .collect(),
        difference: c.difference,
        from_note: c.from_note,
        shared: c.shared,
        contrasts: c.contrasts,
        decision: c.decision,
    }
}

#[test]
fn agreeing_facts_are_said_once_as_both_never_as_a_difference() {
    let site = site();
    let c = cmp(&site, 0, "200", "226");
    let shared = c.shared.as_deref().expect("a shared sentence");
    assert!(shared.starts_with("Both: "), "{shared}");
    assert!(
        shared.contains("Retry — Not needed") && shared.contains("Control connection — Stays open"),
        "{shared}"
    );
    for item in &c.contrasts {
        assert!(
            !item.contains("Not needed") && !item.contains("Stays open"),
            "{item}"
        );
    }
    let retry = c.rows.iter().find(|r| r.0 == "Retry").expect("a row");
    assert!(!retry.1);
}

#[test]
fn differing_facts_become_contrasts_naming_both_codes() {
    let site = site();
    let c = cmp(&site, 0, "200", "425");
    assert_eq!(c.contrasts[0], "Retry: 200 — Not needed; 425 — Yes, later.");
    assert!(
        c.contrasts
            .iter()
            .any(|s| s
                .starts_with("Typical commands: 200 — <code>TYPE</code>; 425 — <code>RETR</code>")),
        "{:?}",
        c.contrasts
    );
    assert!(
        c.contrasts
            .iter()
            .any(|s| s.starts_with("Class: 200 — 2xx · Positive Completion; 425 — 4xx")),
        "{:?}",
        c.contrasts
    );
    assert!(c.contrasts.len() >= MIN_CONTRASTS);
    let differs: Vec<&str> = c
        .rows
        .iter()
        .filter(|r| r.1)
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(differs, ["Class", "Retry", "Typical commands"]);
    assert_eq!(
        c.difference,
        "FTP 200 (Command Okay) is a 2xx reply code (Positive Completion), while 425 (Can&#39;t Open Data Connection) is a 4xx reply code (Transient Negative Completion)."
    );
    assert_eq!(
        c.decision,
        "<p>200 applies when a command without a transfer succeeded, and 425 applies when the data connection could not be opened.</p>"
    );
}

#[test]
fn too_few_data_differences_are_filled_with_the_conditions_then_what_to_do() {
    let site = site();
    let c = cmp(&site, 0, "200", "226");
    assert_eq!(c.contrasts.len(), 3, "{:?}", c.contrasts);
    assert!(
        c.contrasts[1].starts_with("When each applies: 200 when"),
        "{:?}",
        c.contrasts
    );
    assert_eq!(
        c.contrasts[2],
        "What to do: 200 — Handle Command Okay; 226 — Handle Closing Data Connection."
    );
    let zh = cmp(&site, 1, "200", "226");
    assert_eq!(
        zh.contrasts[2],
        "处理方式：200——处理命令成功；226——处理正在关闭数据连接。"
    );
    assert!(
        c.difference.contains(
            "are both 2xx reply codes (Positive Completion), but differ on “Typical commands”"
        ),
        "{}",
        c.difference
    );
    // The conditions are a key difference, so the decision does not repeat them.
    assert!(!c.decision.contains("200 applies when"), "{}", c.decision);
    assert!(
        c.decision.contains("depends on the situation"),
        "{}",
        c.decision
    );
}

#[test]
fn a_pair_note_gives_the_difference_and_the_decision() {
    let site = site();
    let c = cmp(&site, 0, "200", "421");
    assert!(c.from_note);
    assert_eq!(
        c.difference,
        "200 says the command worked; 421 says the whole session is over."
    );
    assert!(
        c.decision
            .contains("Expect 200 after a successful command and 421 when the server hangs up.")
    );
    let zh = cmp(&site, 1, "200", "421");
    assert!(
        zh.decision.contains("命令成功时收到 200"),
        "{}",
        zh.decision
    );
}

#[test]
fn an_interim_code_and_a_final_one_never_compete() {
    let site = site();
    let c = cmp(&site, 0, "150", "421");
    assert!(
        c.decision.starts_with("<p>150 and 421 never compete: 150 is an interim reply code, and a final one such as 421 may follow it.</p>"),
        "{}",
        c.decision
    );
    assert!(
        !cmp(&site, 0, "200", "425")
            .decision
            .contains("never compete")
    );
}

#[test]
fn chinese_reads_as_chinese() {
    let site = site();
    let c = cmp(&site, 1, "200", "425");
    assert_eq!(
        c.difference,
        "FTP 200（命令成功）是 2xx（肯定完成）应答码，而 425（无法打开数据连接）是 4xx（暂时否定完成）应答码。"
    );
    assert_eq!(c.contrasts[0], "重试：200——无需重试；425——稍后重试。");
    assert_eq!(
        c.decision,
        "<p>不涉及传输的命令执行成功时适用 200，无法建立数据连接时则适用 425。</p>"
    );
    let same = cmp(&site, 1, "200", "226");
    assert!(
        same.difference
            .contains("同属 2xx（肯定完成）应答码，但在“常见命令”上不同"),
        "{}",
        same.difference
    );
    for s in [&c.difference, &same.difference, &c.decision] {
        let chars: Vec<char> = s.chars().collect();
        for w in chars.windows(3) {
            let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            assert!(
                !(cjk(w[0]) && w[1] == ' ' && cjk(w[2])),
                "a space between Chinese words: {s}"
            );
        }
    }
}

#[test]
fn without_classes_no_class_is_mentioned() {
    let mut site = site();
    let p = &mut site.protocols[0];
    p.grouping = crate::model::Grouping::None;
    p.classes.clear();
    for c in &mut p.codes {
        c.class = None;
    }
    let c = cmp(&site, 0, "200", "425");
    assert!(!c.rows.iter().any(|r| r.0 == "Class"));
    assert!(!c.difference.contains("both"), "{}", c.difference);
    assert!(
        c.difference.starts_with(
            "FTP 200 (Command Okay) and 425 (Can&#39;t Open Data Connection) differ on “Retry”"
        ),
        "{}",
        c.difference
    );
}
