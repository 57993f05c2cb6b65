//! Markdown that looks wrong to a naive checker and is not: each test is a
//! trap `runsheet check` must not fall into. Every guide also carries one
//! real mistake, a control, so a test cannot pass because nothing was read.

use runsheet::check::{self, Diagnostic};
use runsheet::slug::Flavour;
use runsheet::{LoadOptions, load};
use std::path::Path;

fn check_files(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    check_with(files, None)
}

fn check_with(files: &[(&str, &str)], flavour: Option<Flavour>) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    crate::common::write_files(dir.path(), files);
    check_dir(dir.path(), flavour)
}

fn check_dir(root: &Path, flavour: Option<Flavour>) -> Vec<Diagnostic> {
    let guide = load(
        root,
        &LoadOptions {
            flavour,
            ..Default::default()
        },
    )
    .expect("the guide loads");
    check::session::check_guide(&guide).unwrap()
}

/// (rule, file, line) of every finding.
fn found(d: &[Diagnostic]) -> Vec<(&str, &str, usize)> {
    d.iter()
        .map(|d| (d.rule.as_str(), d.file.as_str(), d.line))
        .collect()
}

/// The control: a link to a file that does not exist.
const CONTROL: &str = "[control](no-such-file.md)";

fn book<'a>(chapters: &[(&'a str, &'a str)]) -> Vec<(String, String)> {
    let mut summary = String::from("# Summary\n\n");
    let mut files = vec![(
        "book.toml".to_string(),
        "[book]\ntitle = \"Traps\"\nsrc = \"src\"\n".to_string(),
    )];
    for (path, text) in chapters {
        summary.push_str(&format!("- [{path}]({path})\n"));
        files.push((format!("src/{path}"), text.to_string()));
    }
    files.push(("src/SUMMARY.md".to_string(), summary));
    files
}

fn check_book(chapters: &[(&str, &str)], flavour: Option<Flavour>) -> Vec<Diagnostic> {
    let files = book(chapters);
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    check_with(&borrowed, flavour)
}

#[test]
fn links_in_fenced_code_blocks_are_not_links() {
    let text = format!(
        "# Code\n\n```markdown\n[a](gone.md) [b](#nowhere) [c][undefined]\n```\n\n~~~\n![x](gone.png)\n~~~\n\n- In a list:\n\n  ```\n  [d](gone.md)\n  ```\n\n> ```\n> [e](gone.md)\n> ```\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 21)]);
}

#[test]
fn links_in_indented_code_blocks_are_not_links() {
    let text = format!(
        "# Code\n\nAn example:\n\n    [a](gone.md)\n    See [the portal][portal].\n    <a href=\"gone.md\">x</a>\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 9)]);
}

#[test]
fn links_in_inline_code_are_not_links() {
    let text = format!(
        "# Code\n\nWrite `[text](target.md)` or ``[a `b`](c.md)`` or `[x][y]`; {CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 3)]);
    assert_eq!(d[0].column, 61);
}

#[test]
fn front_matter_comments_and_brackets_are_neither_headings_nor_links() {
    let front = "---\n# A YAML comment, not a heading\ntitle: \"[Install] the [portal](gone.md)\"\ndescription: Install the portal on the SharePoint server, then check it in a browser as a portal user.\nauthor: jdoe # trailing comment\nms.date: 04/15/2024\nms.topic: how-to\nms.custom: [sfi-image-nochange, \"[x][y]\"]\n# another comment\n---\n";
    let text = format!("{front}\n# Install the portal\n\n{CONTROL}\n");
    let d = check_files(&[("a.md", &text)]);
    // No broken link in the title, no undefined reference in ms.custom, no
    // second H1 from the comments.
    assert_eq!(found(&d), [("broken-link", "a.md", 14)]);
    let g = load_one(&text);
    let headings: Vec<_> = g.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(headings, ["Install the portal"]);
}

fn load_one(text: &str) -> runsheet::model::Chapter {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), text).unwrap();
    let g = load(&dir.path().join("a.md"), &LoadOptions::default()).unwrap();
    g.chapters.into_iter().next().unwrap()
}

#[test]
fn setext_headings_are_anchor_targets() {
    let text = format!(
        "Install the service\n===================\n\nPrerequisite checks\n-------------------\n\nSee [install](#install-the-service) and [checks](#prerequisite-checks).\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text), ("b.md", "[x](a.md#prerequisite-checks)\n")]);
    assert_eq!(found(&d), [("broken-link", "a.md", 9)]);
}

#[test]
fn duplicate_headings_get_numbered_anchors() {
    let a = "# Agents\n\n## Setup\n\nAD.\n\n## Setup\n\nGraph.\n\n[first](#setup) [second](#setup-1) [third](#setup-2)\n";
    for flavour in [Flavour::Github, Flavour::Mdbook] {
        let d = check_with(
            &[("a.md", a), ("b.md", "# B\n\n[ok](a.md#setup-1)\n")],
            Some(flavour),
        );
        // Two headings: #setup and #setup-1 exist, #setup-2 does not.
        assert_eq!(found(&d), [("broken-anchor", "a.md", 11)], "{flavour:?}");
        assert_eq!(
            d[0].message,
            "anchor `#setup-2` does not exist in this file"
        );
    }
}

#[test]
fn html_anchors_are_link_targets() {
    let a = "# A\n\n<a name=\"legacy-name\"></a>\n<a id='single-quoted'></a>\n<div id=\"div-y\" class=\"note\">\n\nText.\n\n</div>\n\nInline <span id=\"inline-span\">here</span>.\n\n[1](#legacy-name) [2](#single-quoted) [3](#div-y) [4](#inline-span)\n";
    let b = "# B\n\n[5](a.md#div-y) [6](a.md#legacy-name)\n\n<span name=\"not-an-anchor\"></span>\n\n[7](#not-an-anchor)\n";
    let d = check_files(&[("a.md", a), ("b.md", b)]);
    // `name` makes an anchor on <a> only, as in browsers; the broken anchor
    // is this test's control.
    assert_eq!(found(&d), [("broken-anchor", "b.md", 7)]);
}

#[test]
fn percent_encoded_spaces_name_a_file_with_spaces() {
    let text = "# A\n\n[guide](My%20Guide.md) [shot](media/screen%20shot.png) [section](My%20Guide.md#first-steps)\n[typo](My%20Gide.md)\n";
    let d = check_files(&[
        ("a.md", text),
        ("My Guide.md", "# Guide\n\n## First steps\n"),
        ("media/screen shot.png", "png"),
    ]);
    assert_eq!(found(&d), [("broken-link", "a.md", 4)]);
    // The suggestion is written the way the link was: escaped.
    assert_eq!(d[0].suggestion.as_deref(), Some("My%20Guide.md"));
}

#[test]
fn angle_bracket_destinations_may_hold_spaces() {
    let text = "# A\n\n[guide](<My Guide.md>) [section](<My Guide.md#first-steps> \"title\") ![shot](<media/screen shot.png>)\n[the guide](<My Gide.md>)\n";
    let d = check_files(&[
        ("a.md", text),
        ("My Guide.md", "# Guide\n\n## First steps\n"),
        ("media/screen shot.png", "png"),
    ]);
    assert_eq!(found(&d), [("broken-link", "a.md", 4)]);
    assert_eq!(d[0].suggestion.as_deref(), Some("My Guide.md"));
    // The fix writes inside the brackets.
    let fix = d[0].fix.as_ref().unwrap();
    assert_eq!(&text[fix.start..fix.end], "My Gide.md");
}

#[test]
fn link_titles_are_not_part_of_the_path() {
    let text = format!(
        "# A\n\n[a](b.md \"The B chapter\") [b](b.md 'single') [c](b.md (parens)) ![d](p.png \"A picture\")\n[e](b.md#setup \"with fragment\")\n\n[ref]: b.md \"Reference title\"\n\nSee [ref].\n\n{CONTROL}\n"
    );
    let d = check_files(&[
        ("a.md", &text),
        ("b.md", "# B\n\n## Setup\n"),
        ("p.png", "png"),
    ]);
    assert_eq!(found(&d), [("broken-link", "a.md", 10)]);
}

#[test]
fn crlf_files_read_like_lf_files() {
    let lf = "---\ntitle: A\n---\n\n# A\n\n## Setup\n\n[here](#setup) [there](b.md#install)\n[typo](#setpu)\n";
    let crlf = lf.replace('\n', "\r\n");
    let b = "---\r\ntitle: B\r\n---\r\n# B\r\n\r\n## Install\r\n";
    let config = ("runsheet.toml", "[front-matter]\nrequired = [\"title\"]\n");
    let d_lf = check_files(&[("a.md", lf), ("b.md", b), config]);
    let d_crlf = check_files(&[("a.md", &crlf), ("b.md", b), config]);
    let spans = |d: &[Diagnostic]| -> Vec<_> {
        d.iter()
            .map(|d| {
                (
                    d.rule.as_str(),
                    d.line,
                    d.column,
                    d.end_line,
                    d.end_column,
                    d.suggestion.clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        spans(&d_crlf),
        [("broken-anchor", 10, 1, 10, 15, Some("#setup".to_string()))]
    );
    assert_eq!(spans(&d_crlf), spans(&d_lf));
    // No `\r` leaks into what is shown.
    assert_eq!(d_crlf[0].source_line.as_deref(), Some("[typo](#setpu)"));
}

#[test]
fn external_links_are_never_checked() {
    let text = format!(
        "# A\n\n[web](https://example.com/missing.md) [plain](http://example.com/x.md#nope) [mail](mailto:ops@example.com)\n<https://example.com/auto.md> <ops@example.com> [proto](//cdn.example.com/x.png) [ftp](ftp://example.com/f)\n[tel](tel:+15551234) ![remote](https://example.com/i.png)\n<a href=\"https://example.com/html.md\">html</a>\n\n[ref]: https://example.com/ref.md\n\nSee [ref].\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 12)]);
}

#[test]
fn alerts_shortcuts_and_task_boxes_are_not_undefined_references() {
    let text = "# A\n\n> [!TIP]\n> Run it twice.\n\n> [!WARNING]\n> Not in production.\n\nPress [OK] or [Cancel]; arrays look like a[0].\n\n- [ ] to do\n- [x] done\n\nA footnote[^1].\n\n[^1]: The note.\n\nAnd [a real one][missing].\n";
    let d = check_files(&[("a.md", text)]);
    // The real undefined reference is this test's control.
    assert_eq!(found(&d), [("undefined-reference", "a.md", 18)]);
}

#[test]
fn mdbook_heading_ids_are_anchors_in_a_book() {
    let a = format!("# A\n\n## Install the service {{#install}}\n\n[own](#install)\n\n{CONTROL}\n");
    let b = "# B\n\n[to a](a.md#install)\n";
    let d = check_book(&[("a.md", &a), ("b.md", b)], None);
    assert_eq!(found(&d), [("broken-link", "a.md", 7)]);
    // With GitHub's ids, `{#install}` is heading text, not an id.
    let d = check_book(&[("a.md", &a), ("b.md", b)], Some(Flavour::Github));
    assert_eq!(
        found(&d),
        [
            ("broken-anchor", "a.md", 5),
            ("broken-link", "a.md", 7),
            ("broken-anchor", "b.md", 3)
        ]
    );
}

#[test]
fn html_links_mean_md_chapters_in_a_book() {
    let a = "# A\n\n[b](b.html) [b setup](b.html#setup) [c](sub/c.html) [index](./b.html)\n[gone](gone.html) [bad anchor](b.html#setpu)\n";
    let d = check_book(
        &[
            ("a.md", a),
            ("b.md", "# B\n\n## Setup\n"),
            ("sub/c.md", "# C\n\n[back](../a.html)\n"),
        ],
        None,
    );
    let f: Vec<_> = d
        .iter()
        .map(|d| (d.rule.as_str(), d.line, d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        f,
        [
            ("broken-link", 4, None),
            ("broken-anchor", 4, Some("#setup"))
        ]
    );
}

#[test]
fn a_link_to_a_folder_is_not_broken() {
    let text = format!("# A\n\n[sub](sub/) [sub2](sub) [here](./) [media](media/)\n\n{CONTROL}\n");
    let d = check_files(&[
        ("a.md", &text),
        ("sub/README.md", "# Sub\n\n[up](../) [root](/)\n"),
        ("media/p.png", "png"),
    ]);
    // media/p.png is unused: only the folder is linked.
    assert_eq!(
        found(&d),
        [
            ("broken-link", "a.md", 5),
            ("unused-asset", "media/p.png", 1)
        ]
    );
}

#[test]
fn html_comments_and_html_blocks_hide_markdown_links() {
    let text = format!(
        "# A\n\n<!-- [old](gone.md) -->\n\n<!--\n[older](gone.md)\n-->\n\n<pre>\n[pre](gone.md)\n</pre>\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 13)]);
}

#[test]
fn escaped_brackets_are_text() {
    let text =
        format!("# A\n\n\\[not a link\\](gone.md) and \\[not\\]\\[a reference\\]\n\n{CONTROL}\n");
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 5)]);
}

#[test]
fn empty_and_top_fragments_always_work() {
    let text = format!("# A\n\n[top](#top) [empty](#) [b](b.md#) [b top](b.md#top)\n\n{CONTROL}\n");
    let d = check_files(&[("a.md", &text), ("b.md", "# B\n")]);
    assert_eq!(found(&d), [("broken-link", "a.md", 5)]);
}

#[test]
fn a_query_string_is_not_part_of_the_path() {
    let text = format!("# A\n\n[b](b.md?view=raw) [b](b.md?tabs=ps#setup)\n\n{CONTROL}\n");
    let d = check_files(&[("a.md", &text), ("b.md", "# B\n\n## Setup\n")]);
    assert_eq!(found(&d), [("broken-link", "a.md", 5)]);
}

#[test]
fn links_in_tables_and_headings_are_checked_like_any_other() {
    let text = "# A\n\n| Step | Page |\n|---|---|\n| 1 | [b](b.md) |\n| 2 | [c](missing-page.md) |\n\n## See [b](b.md) and [gone](gne.md)\n";
    let d = check_files(&[("a.md", text), ("b.md", "# B\n"), ("gone.md", "# G\n")]);
    let f: Vec<_> = d
        .iter()
        .map(|d| (d.rule.as_str(), d.line, d.suggestion.as_deref()))
        .collect();
    // The heading's link is found too.
    assert_eq!(
        f,
        [
            ("broken-link", 6, None),
            ("broken-link", 8, Some("gone.md"))
        ],
        "{d:#?}"
    );
}

#[test]
fn headings_with_markup_closing_hashes_and_accents_have_the_expected_anchors() {
    let text = format!(
        "# A\n\n## Install *the* `sync` [service](b.md) ##\n\n## Café setup\n\n[1](#install-the-sync-service) [2](#café-setup) [3](#caf%C3%A9-setup)\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text), ("b.md", "# B\n")]);
    assert_eq!(found(&d), [("broken-link", "a.md", 9)]);
}

#[test]
fn reference_labels_match_without_regard_to_case_or_spacing() {
    let text = format!(
        "# A\n\nSee [the portal][Portal  Page] and [b][B].\n\n[portal page]: <b.md> \"Title\"\n[b]:\n  b.md\n\n{CONTROL}\n"
    );
    let d = check_files(&[("a.md", &text), ("b.md", "# B\n")]);
    assert_eq!(found(&d), [("broken-link", "a.md", 9)]);
}

#[test]
fn an_image_inside_a_link_is_two_targets() {
    let text =
        "# A\n\n[![Wizard](media/wizard.png)](b.md) [![Gone](media/gone.png)](gone-page.md)\n";
    let d = check_files(&[
        ("a.md", text),
        ("b.md", "# B\n"),
        ("media/wizard.png", "png"),
    ]);
    let f: Vec<_> = d
        .iter()
        .map(|d| (d.rule.as_str(), d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        f,
        [
            (
                "broken-link",
                37,
                "link target `gone-page.md` does not exist"
            ),
            (
                "broken-link",
                38,
                "image target `media/gone.png` does not exist"
            ),
        ]
    );
}

#[test]
fn a_byte_order_mark_does_not_shift_columns() {
    let text = format!("\u{feff}# A\n\nSee {CONTROL}.\n");
    let d = check_files(&[("a.md", &text)]);
    assert_eq!(found(&d), [("broken-link", "a.md", 3)]);
    assert_eq!((d[0].column, d[0].end_column), (5, 31));
}

#[test]
fn docfx_tab_links_are_not_anchors() {
    let d = check_files(&[(
        "tabs.md",
        "# Install\n\n# [Windows](#tab/windows)\n\nRun setup.exe.\n\n# [Linux](#tab/linux)\n\nRun setup.sh.\n\n---\n\n[control](#no-such-anchor)\n",
    )]);
    assert_eq!(found(&d), [("broken-anchor", "tabs.md", 13)]);
}

#[test]
fn checking_one_file_does_not_judge_the_images_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.md"), format!("# Page\n\n{CONTROL}\n")).unwrap();
    std::fs::write(dir.path().join("other.png"), b"").unwrap();
    let d = check_dir(&dir.path().join("page.md"), None);
    assert_eq!(found(&d), [("broken-link", "page.md", 3)]);
}

/// `<!-->` and `<!--->` are legal, empty HTML comments (CommonMark): a
/// chapter holding them is read to its end, not a crash.
#[test]
fn empty_html_comments_are_read_past() {
    let d = check_files(&[(
        "a.md",
        "# A\n\n<!-->\n\n<!--->\n\nText <!--> inline.\n\n[gone](missing.md)\n",
    )]);
    assert_eq!(found(&d), [("broken-link", "a.md", 9)]);
}

#[cfg(unix)]
#[test]
fn links_out_of_the_guide_are_reported_never_read_and_loops_walked_once() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "# Secret\n\nroot:x:0:0 [x](nowhere.md)\n",
    )
    .unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(docs.join("deep/er/still")).unwrap();
    std::fs::write(docs.join("a.md"), "# A\n").unwrap();
    std::fs::write(docs.join("deep/er/still/b.md"), "# B\n").unwrap();
    symlink(outside.join("secret.md"), docs.join("notes.md")).unwrap();
    symlink(&outside, docs.join("deep/er/still/more")).unwrap();
    // A loop inside the guide: walked once, not three levels deep.
    symlink("../er", docs.join("deep/er/again")).unwrap();
    symlink("..", docs.join("deep/up")).unwrap();

    let out = crate::common::runsheet()
        .args(["check", "--format", "json"])
        .arg(&docs)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("root:x") && !text.contains("nowhere.md"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .filter(|(rule, _)| rule.starts_with("symlink"))
        .collect();
    let files: Vec<&str> = found
        .iter()
        .map(|(_, f)| f.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(files, ["more", "notes.md"], "{text}");
    // The guide's own chapters, each once.
    let extract = crate::common::runsheet()
        .arg("extract")
        .arg(&docs)
        .output()
        .unwrap();
    let guide: serde_json::Value = serde_json::from_slice(&extract.stdout).unwrap();
    let chapters: Vec<&str> = guide["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(chapters, ["a.md", "deep/er/still/b.md"]);
}

/// The text a finding's fix replaces in `text`, and with what.
fn fix_of<'t>(d: &Diagnostic, text: &'t str) -> Option<(&'t str, String)> {
    d.fix
        .as_ref()
        .map(|f| (&text[f.start..f.end], f.replacement.clone()))
}

/// `src=` and `id=` inside a quoted attribute value are text, not
/// attributes: no broken `missing.png"`, no anchor `foo"`.
#[test]
fn words_inside_html_attribute_values_are_not_attributes() {
    let a = "# A\n\n<img alt=\"a src=missing.png\" src=\"ok.png\">\n\n<a title=\"see id=foo\" id='real'>x</a> <a title='name=old' name=\"legacy\"></a>\n\n[1](#real) [2](#legacy) [3](#foo%22)\n\n<p title=\"src=gone.png\"><img alt=x src=gone.png></p>\n";
    let d = check_files(&[("a.md", a), ("ok.png", "")]);
    // `#foo"` named an anchor the old reader made up; `gone.png` is a real
    // attribute's value.
    assert_eq!(
        found(&d),
        [("broken-anchor", "a.md", 7), ("broken-link", "a.md", 9)]
    );
    let g = load_one(a);
    let anchors: Vec<_> = g.html_anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(anchors, ["real", "legacy"]);
}

/// A tag may be written over several lines, in an HTML block (which the
/// Markdown parser hands over line by line) or inline in a block quote
/// (whose `>` markers are not part of it); a fix edits the value in place.
#[test]
fn an_html_tag_written_over_several_lines_is_one_tag() {
    let a = "# A\n\n<div>\n<img\n  alt=\"see src=x.png\"\n  src=\"gone.png\">\n</div>\n\n> Quoted <img\n> alt=\"a\"\n> src=\"OK.png\"> text.\n";
    let d = check_files(&[("a.md", a), ("ok.png", "")]);
    assert_eq!(
        found(&d),
        [
            ("broken-link", "a.md", 6),
            ("link-case-mismatch", "a.md", 11)
        ]
    );
    assert_eq!(fix_of(&d[1], a), Some(("OK.png", "ok.png".to_string())));
}

/// A value's character references are decoded (`&amp;` is `&`); a fix
/// rewrites the path as written and leaves the rest alone.
#[test]
fn html_values_are_read_decoded_and_fixed_as_written() {
    let a = "# A\n\n<a href=\"b.md?x=1&amp;y=2#part\">b</a> <a href=\"B.md?x=1&amp;y=2\">c</a>\n\n<a href=\"b.md#gone&amp;x\">d</a>\n";
    let b = "# B\n\n## Part\n";
    let d = check_files(&[("a.md", a), ("b.md", b)]);
    assert_eq!(
        found(&d),
        [
            ("link-case-mismatch", "a.md", 3),
            ("broken-anchor", "a.md", 5)
        ]
    );
    assert_eq!(fix_of(&d[0], a), Some(("B.md", "b.md".to_string())));
    assert!(d[1].message.contains("gone&x"), "{}", d[1].message);
}

/// In a DocFX YAML page, `href:` inside a block scalar is text, and a flow
/// mapping (`- {name: B, href: b.md}`) is an entry whose link is checked
/// and fixed in place; a value written with an escape is checked but not
/// rewritten.
#[test]
fn docfx_yaml_block_text_is_not_a_link_and_flow_entries_are() {
    let toc = "- name: A\n  href: a.md\n  summary: |\n    Moved, see\n    href: gone.md\n- {name: B, href: missing.md}\n- {name: C, href: 'A.md'}\n- name: D\n  href: \"B\\x2emd\"\n- name: E\n  href: ~\n";
    let d = check_files(&[
        ("docs/docfx.json", "{\"build\": {}}\n"),
        ("docs/a.md", "# A\n"),
        ("docs/b.md", "# B\n"),
        ("docs/toc.yml", toc),
    ]);
    assert_eq!(
        found(&d),
        [
            ("broken-link", "docs/toc.yml", 6),
            ("link-case-mismatch", "docs/toc.yml", 7),
            ("link-case-mismatch", "docs/toc.yml", 9),
        ]
    );
    assert_eq!(fix_of(&d[1], toc), Some(("A.md", "a.md".to_string())));
    assert_eq!(fix_of(&d[2], toc), None);
}
