//! Bad content: every kind gets exit 1 and a message naming the file and the line, all
//! problems of a run at once, and never a panic.

use crate::common::*;

/// Breaks the mini site with `edit`, then runs `check` and `build`: both must exit 1 with
/// the same file:line:col locations, `build` must write nothing, neither may panic. Returns
/// `build`'s stderr.
fn broken(edit: impl FnOnce(&std::path::Path)) -> String {
    let site = mini_site();
    edit(site.path());
    let check = on_site("check", site.path());
    let o = on_site("build", site.path());
    let (check_err, err) = (stderr(&check), stderr(&o));
    assert_eq!(check.status.code(), Some(1), "check: {check_err}");
    assert_eq!(
        o.status.code(),
        Some(1),
        "expected exit 1, got {:?}: {err}",
        o.status.code()
    );
    assert!(
        !err.contains("panicked") && !check_err.contains("panicked"),
        "{err}"
    );
    for location in err.lines().filter(|l| l.contains("-->")) {
        assert!(
            check_err.contains(location),
            "check misses {location}: {check_err}"
        );
    }
    assert!(
        !site.path().join("output").exists(),
        "nothing written on failure"
    );
    err
}

#[test]
fn wrong_type() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: [1, 2]\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:1:1"), "{err}");
    assert!(err.contains("found a list"), "{err}");
}

#[test]
fn unknown_yaml_tags_are_refused() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: !secret Ten\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("unsupported tag `!secret`"), "{err}");
    assert!(err.contains("content/demo/10.yaml:1:15"), "{err}");
}

#[test]
fn an_empty_key_is_named_in_plain_words_with_its_line() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: {en: Ten, ~: x}\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:1:17"), "{err}");
    assert!(err.contains("an empty value (null)"), "{err}");
    for leak in ["Option<", "unit value", "deserialize"] {
        assert!(!err.contains(leak), "a developer's word leaks: {err}");
    }
}

#[test]
fn unknown_field_suggests_the_known_one() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: Ten\ndescripton: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:2:1"), "{err}");
    assert!(err.contains("unknown field `descripton`"), "{err}");
    assert!(err.contains("did you mean `description`?"), "{err}");
    assert!(
        err.contains("descripton: d"),
        "shows the offending line: {err}"
    );
}

#[test]
fn yaml_syntax_error() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: {en: Ten\ndescription: d\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:2:12"), "{err}");
    assert!(err.contains("flow mapping"), "{err}");
}

#[test]
fn tab_indentation() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name:\n\ten: Ten\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:2:1"), "{err}");
    assert!(err.contains("tab"), "{err}");
}

#[test]
fn undeclared_class() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/90.yaml",
            "name: Ninety\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/90.yaml"), "{err}");
    assert!(err.contains("class `9`"), "{err}");
}

#[test]
fn empty_file() {
    let err = broken(|r| write(r, "content/demo/10.yaml", "# nothing yet\n"));
    assert!(err.contains("content/demo/10.yaml"), "{err}");
    assert!(err.contains("the file is empty"), "{err}");
}

#[test]
fn invalid_utf8() {
    let err =
        broken(|r| std::fs::write(r.join("content/demo/10.yaml"), b"name: T\xffn\n").unwrap());
    assert!(err.contains("content/demo/10.yaml:1:8"), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
}

#[test]
fn code_file_name_with_spaces() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/1 2.yaml",
            "name: x\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/1 2.yaml"), "{err}");
    assert!(err.contains("not a valid code"), "{err}");
}

#[test]
fn missing_default_language_text() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: {fr: Dix}\ndescription: d\nwhen: w\nfix: f\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:1:7"), "{err}");
    assert!(
        err.contains("no text in the default language `en`"),
        "{err}"
    );
}

#[test]
fn undeclared_fact_and_bad_status() {
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            "name: Ten\ndescription: d\nwhen: w\nfix: f\nstatus: oficial\nfacts:\n  rerty: No\n",
        )
    });
    assert!(err.contains("content/demo/10.yaml:5:9"), "{err}");
    assert!(err.contains("content/demo/10.yaml:7:3"), "{err}");
    assert!(err.contains("did you mean `retry`?"), "{err}");
}

#[test]
fn two_broken_files_give_two_errors_in_one_run() {
    let err = broken(|r| {
        write(r, "content/demo/10.yaml", "name: Ten\nwhen: [\n");
        write(
            r,
            "content/demo/11.yaml",
            "nme: Eleven\ndescription: d\nwhen: w\nfix: f\n",
        );
    });
    assert!(err.contains("content/demo/10.yaml"), "{err}");
    assert!(err.contains("content/demo/11.yaml:1:1"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
    let first = err.find("demo/10.yaml").unwrap();
    let second = err.find("demo/11.yaml").unwrap();
    assert!(first < second, "sorted by file");
}

#[test]
fn missing_site_file() {
    let err = broken(|r| std::fs::remove_file(r.join("content/site.yaml")).unwrap());
    assert!(err.contains("content/site.yaml"), "{err}");
}

#[test]
fn a_protocol_named_like_a_language_collides() {
    let err = broken(|r| {
        std::fs::rename(r.join("content/demo"), r.join("content/fr")).unwrap();
    });
    assert!(
        err.contains("would both be written to fr/index.html"),
        "{err}"
    );
}

#[test]
fn hostile_content_is_escaped_not_executed() {
    let site = mini_site();
    write(
        site.path(),
        "content/demo/10.yaml",
        "name: \"<script>alert(1)</script>\"\ndescription: \"Click [me](javascript:alert(1)) <img src=x onerror=alert(1)>.\"\nwhen: \"![x](https://evil.example/x.png)\"\nfix: \"{{ 7*7 }} {% raw %}\"\n",
    );
    let out = site.path().join("output");
    build(site.path(), &out);
    let page = std::fs::read_to_string(out.join("demo/10-vs-11/index.html")).unwrap();
    assert!(!page.contains("<script>alert"), "name escaped");
    assert!(!page.contains("javascript:"), "unsafe link dropped");
    assert!(
        !page.contains("<img"),
        "raw html and images not passed through"
    );
    assert!(!page.contains("evil.example"), "no request to another host");
    assert!(page.contains("{{ 7*7 }}"), "content is not a template");
}

#[test]
fn a_site_past_a_size_limit_is_refused_naming_the_setting() {
    // The mini site: one protocol of 3 codes in 2 languages makes 2 × (1 + 1 + 3 + 3) = 16
    // pages.
    let err = broken(|r| {
        write(
            r,
            "content/site.yaml",
            "title: Demo\nbase_url: https://demo.example\ndefault_locale: en\nlimits: {codes_per_protocol: 2, pages: 15}\n",
        )
    });
    assert!(
        err.contains("protocol `demo` has 3 codes, more than the limit of 2 per protocol"),
        "{err}"
    );
    assert!(err.contains("`limits: {codes_per_protocol: 3}`"), "{err}");
    assert!(
        err.contains("the site would have 16 pages (2 languages), more than the limit of 15"),
        "{err}"
    );
    assert!(err.contains("content/site.yaml:4:40"), "{err}");
    // Raised, it builds.
    let site = mini_site();
    write(
        site.path(),
        "content/site.yaml",
        "title: Demo\nbase_url: https://demo.example\ndefault_locale: en\nlimits: {codes_per_protocol: 3, pages: 16}\n",
    );
    build(site.path(), &site.path().join("output"));
}

#[test]
fn a_file_that_expands_through_aliases_is_refused_in_plain_words() {
    let title = "x".repeat(100_000);
    let refs = vec!["*r"; 900].join(", ");
    let err = broken(|r| {
        write(
            r,
            "content/demo/10.yaml",
            &format!(
                "name: Ten\ndescription: d\nwhen: w\nfix: f\nreferences: [&r {{title: \"{title}\", url: \"https://x.org/\"}}, {refs}]\n"
            ),
        )
    });
    assert!(
        err.contains("content/demo/10.yaml:5:"),
        "{}",
        &err[..err.len().min(600)]
    );
    assert!(
        err.contains("expands through aliases"),
        "{}",
        &err[..err.len().min(600)]
    );
    assert!(
        !err.contains("ScalarBytes"),
        "{}",
        &err[..err.len().min(600)]
    );
}

#[test]
fn a_field_written_among_languages_is_named_as_a_field() {
    let site = mini_site();
    write(
        site.path(),
        "content/demo/_protocol.yaml",
        "name: DEMO\ntitle: Demo Protocol\nclasses:\n  \"1\": {en: Good, kind: success}\n  \"2\": {en: Bad, de: Schlecht}\nfacts:\n  retry: Retry\n",
    );
    let o = on_site("check", site.path());
    let err = stderr(&o);
    assert!(o.status.success(), "warnings only: {err}");
    assert!(
        err.contains("content/demo/_protocol.yaml:4:19")
            && err.contains("as in `{name: {en: …}, kind: …}`"),
        "a misplaced field is shown where it belongs: {err}"
    );
    assert!(
        err.contains("add locales/de.yaml to publish it"),
        "a language without a locale file is a language: {err}"
    );
}
