//! A site with a protocol of each grouping scheme — by first character, by declared ranges,
//! none — builds, and its pages read naturally in both languages: class sentences only where
//! there are classes, range labels as ranges, no stray placeholders or punctuation.

use std::fs;
use std::path::Path;

use crate::common::{build, pages, text_of, write};

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        "title: Schemes\nbase_url: https://schemes.example\ndefault_locale: en\n",
    );
    write(r, "locales/en.yaml", "name: English\n");
    write(r, "locales/zh.yaml", "name: 简体中文\nhtml_lang: zh-Hans\n");
    let retry = "facts:\n  retry:\n    label: {en: Client may retry, zh: 客户端可否重试}\n    values:\n      no: {en: \"No\", zh: 否}\n      later: {en: Yes later, zh: 可以稍后重试}\n";
    // First character: 2xx and 5xx.
    write(
        r,
        "content/fc/_protocol.yaml",
        &format!(
            "name: FC\ntitle: {{en: First Character, zh: 首字符}}\nterm: {{en: reply code, zh: 应答码}}\nclasses:\n  \"2\": {{name: {{en: Success, zh: 成功}}, kind: success}}\n  \"5\": {{name: {{en: Failure, zh: 失败}}, kind: permanent-failure}}\n{retry}"
        ),
    );
    // Ranges: 0–15 and 16–23.
    write(
        r,
        "content/rg/_protocol.yaml",
        &format!(
            "name: RG\ntitle: {{en: Ranges, zh: 区间}}\nterm: {{en: RCODE, zh: RCODE}}\ngrouping: ranges\nclasses:\n  \"0-15\": {{en: Header codes, zh: 报头代码}}\n  \"16-23\": {{en: Extended codes, zh: 扩展代码}}\n{retry}"
        ),
    );
    // None: codes known by name.
    write(
        r,
        "content/nn/_protocol.yaml",
        &format!(
            "name: NN\ntitle: {{en: No Classes, zh: 无类别}}\nterm: {{en: status code, zh: 状态码}}\ngrouping: none\n{retry}"
        ),
    );
    // Per protocol: its codes as (code, name, retry).
    type Codes<'a> = &'a [(&'a str, &'a str, &'a str)];
    let codes: [(&str, Codes<'_>); 3] = [
        (
            "fc",
            &[
                ("200", "Okay", "no"),
                ("250", "Done", "no"),
                ("550", "Refused", "no"),
            ],
        ),
        (
            "rg",
            &[
                ("2", "ServFail", "later"),
                ("3", "NXDomain", "no"),
                ("16", "BadVers", "no"),
            ],
        ),
        (
            "nn",
            &[
                ("4", "DEADLINE_EXCEEDED", "later"),
                ("14", "UNAVAILABLE", "later"),
                ("5", "NOT_FOUND", "no"),
            ],
        ),
    ];
    for (p, list) in codes {
        for (code, name, retry) in list {
            write(
                r,
                &format!("content/{p}/{code}.yaml"),
                &format!(
                    "name: {{en: {name}, zh: {name}}}\ndescription: {{en: The {name} code says so., zh: {name} 表示如此。}}\nwhen: {{en: Seen when {name} happens., zh: 出现 {name} 时可见。}}\nfix: {{en: Handle {name}., zh: 处理 {name}。}}\ncondition: {{en: the {name} case holds, zh: 属于 {name} 情形}}\nfacts:\n  retry: {retry}\n"
                ),
            );
        }
    }
    dir
}

/// The text of a section of a page, tags removed.
fn text(html: &str, id: &str) -> String {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = start + html[start..].find("</section>").unwrap();
    text_of(&html[start..end])
}

/// Prose that reads naturally: no placeholder left, no empty parentheses, no space before
/// punctuation, no doubled word, and in Chinese no space between two Chinese characters.
fn assert_reads_naturally(url: &str, s: &str) {
    for bad in [
        "{", "}", "()", "（）", " ,", " .", "  ", "。。", " 。", " ，",
    ] {
        assert!(!s.contains(bad), "{url}: `{bad}` in {s:?}");
    }
    // Within a line: a heading and the sentence below it may share a word.
    for line in s.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in words.windows(2) {
            assert!(
                !(w[0].eq_ignore_ascii_case(w[1]) && w[0].chars().all(char::is_alphabetic)),
                "{url}: doubled `{}` in {line:?}",
                w[0]
            );
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for w in chars.windows(3) {
        assert!(
            !(cjk(w[0]) && w[1] == ' ' && cjk(w[2])),
            "{url}: a space between Chinese words in {s:?}"
        );
    }
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn each_grouping_scheme_builds_and_reads_naturally() {
    let dir = site();
    let out = dir.path().join("output");
    build(dir.path(), &out);
    let all = pages(&out);
    // Per language: home, 3 protocols, 9 codes, 3 × 3 pairs.
    assert_eq!(all.len(), 2 * (1 + 3 + 9 + 9));
    for (url, html) in all.iter().filter(|(u, _)| u.contains("-vs-")) {
        for id in ["overview", "key-differences", "when-to-use-which"] {
            assert_reads_naturally(url, &text(html, id));
        }
    }

    // First character: two codes of one class share it, said once with its noun.
    let fc = read(&out, "fc/200-vs-250/index.html");
    assert!(
        text(&fc, "overview").contains("both 2xx reply codes (Success)"),
        "{}",
        text(&fc, "overview")
    );
    let fc_zh = read(&out, "zh/fc/200-vs-250/index.html");
    assert!(
        text(&fc_zh, "overview").contains("同属 2xx（成功）应答码"),
        "{}",
        text(&fc_zh, "overview")
    );

    // Ranges: the class is the range, labelled as such.
    let rg = read(&out, "rg/3-vs-16/index.html");
    let overview = text(&rg, "overview");
    assert!(
        overview.contains("0–15") && overview.contains("16–23"),
        "{overview}"
    );
    let rg_index = read(&out, "rg/index.html");
    assert!(
        rg_index.contains(">0–15</span> Header codes"),
        "ranges label the groups"
    );
    // 2 < 3 < 16 in natural order, so the pair is 2-vs-16, not 16-vs-2.
    assert!(out.join("rg/2-vs-16/index.html").is_file());

    // None: no class anywhere, no "both … codes" sentence, names in titles and the picker.
    let nn = read(&out, "nn/4-vs-14/index.html");
    let overview = text(&nn, "overview");
    assert!(!overview.contains("are both"), "{overview}");
    assert!(
        !nn.contains("class=\"badge"),
        "no class badge without classes"
    );
    assert!(
        nn.contains("<title>NN 4 DEADLINE_EXCEEDED vs 14 UNAVAILABLE | Schemes</title>"),
        "names in the title"
    );
    let nn_zh = read(&out, "zh/nn/4-vs-14/index.html");
    assert!(
        !text(&nn_zh, "overview").contains("同属"),
        "{}",
        text(&nn_zh, "overview")
    );
    // 4 < 5 < 14: natural order, not string order.
    assert!(out.join("nn/5-vs-14/index.html").is_file());
    let nn_index = read(&out, "nn/index.html");
    assert!(
        nn_index.contains("<option value=\"14\" data-i=\"2\">14 UNAVAILABLE</option>"),
        "the picker offers names"
    );
}
