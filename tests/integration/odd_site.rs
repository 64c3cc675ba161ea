//! A site nothing in this repository resembles: German as the default language with no
//! words of its own, Arabic (right to left) and Brazilian Portuguese, enhanced status codes
//! with dots, a class named by a letter, a base URL with a path, and hostile text.

use std::fs;

use crate::common::*;

fn odd_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        "title: {de: Statuscodes, ar: رموز الحالة}\nbase_url: https://odd.example.org/sub/\ndefault_locale: de\n",
    );
    write(r, "locales/de.yaml", "name: Deutsch\n");
    write(r, "locales/ar.yaml", "name: العربية\ndir: rtl\n");
    write(r, "locales/pt-BR.yaml", "name: Português (Brasil)\n");
    write(
        r,
        "content/esc/_protocol.yaml",
        "name: ESC\ntitle: {de: Erweiterte Statuscodes}\nclasses:\n  \"2\": {de: Erfolg}\n  \"4\": {de: Vorübergehend}\n  \"5\": {de: Dauerhaft, ar: دائم}\nfacts:\n  retry: {de: Wiederholen}\n",
    );
    for code in ["2.0.0", "4.7.1", "5.1.1", "5.1.10"] {
        write(
            r,
            &format!("content/esc/{code}.yaml"),
            &format!(
                "name: \"Code <{code}> & \\\"quotes\\\"\"\ndescription: \"Der Code **{code}** bedeutet etwas. <script>alert(1)</script> [Link](javascript:alert(1)).\"\nwhen: \"Wenn `{code}` kommt.\"\nfix: \"Tu etwas. ![bild](http://evil.example/i.png)\"\nfacts:\n  retry: {{de: \"Ja\", ar: نعم}}\n"
            ),
        );
    }
    write(
        r,
        "content/x-y/_protocol.yaml",
        "name: X&Y\ntitle: Weird\nclasses:\n  A: Alpha\n  \"1\": One\n",
    );
    for (code, name) in [("A_b", "Ab"), ("10", "Ten"), ("19", "Nineteen")] {
        write(
            r,
            &format!("content/x-y/{code}.yaml"),
            &format!("name: {name}\ndescription: {name}.\nwhen: {name}\nfix: {name}\n"),
        );
    }
    dir
}

#[test]
fn an_unfamiliar_site_builds_with_correct_urls_languages_and_escaping() {
    let site = odd_site();
    let out = site.path().join("output");
    build(site.path(), &out);

    // Natural order: 5.1.1 before 5.1.10; digits before letters.
    assert!(out.join("esc/5.1.1-vs-5.1.10/index.html").is_file());
    assert!(out.join("x-y/10-vs-A_b/index.html").is_file());
    assert!(out.join("pt-BR/x-y/19/index.html").is_file());

    let ar = fs::read_to_string(out.join("ar/esc/4.7.1-vs-5.1.1/index.html")).unwrap();
    assert!(ar.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(ar.contains(
        "<link rel=\"canonical\" href=\"https://odd.example.org/sub/ar/esc/4.7.1-vs-5.1.1/\">"
    ));
    assert!(ar.contains(
        "hreflang=\"x-default\" href=\"https://odd.example.org/sub/esc/4.7.1-vs-5.1.1/\""
    ));
    assert!(ar.contains("نعم"), "Arabic fact used");
    assert!(
        ar.contains(
            "<span lang=\"de\" dir=\"ltr\">Code &lt;4.7.1&gt; &amp; &quot;quotes&quot;</span>"
        ),
        "name falls back to German, escaped, and reads left to right in the Arabic page"
    );

    let de = fs::read_to_string(out.join("esc/4.7.1-vs-5.1.1/index.html")).unwrap();
    assert!(de.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(
        de.contains("<span lang=\"en\">Key differences</span>"),
        "no German words: built-in English, marked"
    );
    assert!(!de.contains("<script>alert"), "raw HTML escaped");
    assert!(!de.contains("javascript:"), "unsafe link dropped");
    assert!(!de.contains("evil.example"), "no image from another host");

    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://odd.example.org/sub/sitemap.xml"),
        "{robots}"
    );
    let check = on_site("check", site.path());
    assert!(
        check.status.success(),
        "links, anchors and hreflang hold: {}",
        stderr(&check)
    );
}
