//! What a DocFX tree's own files say: `link-to-redirect`, `broken-xref`,
//! site-absolute links.

use super::*;

#[test]
fn link_to_redirect_names_where_a_redirect_file_sends_the_link() {
    let d = check_files(&[
        (
            ".openpublishing.redirection.json",
            "{\"redirections\": [{\"source_path_from_root\": \"/docs/old.md\", \"redirect_url\": \"/site/new-page\"}]}\n",
        ),
        ("docs/a.md", "# A\n\nSee [the old page](old.md#part).\n"),
    ]);
    // Not also a broken link.
    assert_eq!(
        all(&d),
        [(
            "link-to-redirect",
            "docs/a.md",
            3,
            5,
            "link target `old.md` has moved: a redirect file sends it to `/site/new-page`"
        )]
    );
    let f = one(&d, "link-to-redirect");
    assert_eq!(f.severity, Severity::Warning);
    // Another site: never fixed.
    assert!(f.fix.is_none(), "{f:#?}");
}

#[test]
fn broken_xref_is_a_uid_the_xref_map_does_not_define() {
    let files = |page: &'static str| {
        vec![
            ("docs/docfx.json", "{\"build\": {}}\n"),
            (
                "docs/xrefmap.yml",
                "### YamlMime:XRefMap\nreferences:\n- uid: Contoso.Widgets\n  name: Widgets\n  href: https://example.com/api/contoso.widgets\n",
            ),
            ("docs/a.md", page),
        ]
    };
    let d = check_files(&files(
        "# A\n\nSee <xref:Contoso.Widget> and [it](xref:Contoso.Widgets?displayProperty=fullName).\n",
    ));
    assert_eq!(
        all(&d),
        [(
            "broken-xref",
            "docs/a.md",
            3,
            5,
            "xref `Contoso.Widget` is not defined in the tree's xref map"
        )]
    );
    let f = one(&d, "broken-xref");
    assert_eq!(f.help.as_deref(), Some("did you mean `Contoso.Widgets`?"));
    let d = check_files(&files("# A\n\nSee <xref:Contoso.Widgets>.\n"));
    assert_eq!(all(&d), []);
    // Without a map nothing is reported: the uids may be another site's.
    let d = check_files(&[
        ("docs/docfx.json", "{\"build\": {}}\n"),
        ("docs/a.md", "# A\n\nSee <xref:System.String>.\n"),
    ]);
    assert_eq!(all(&d), []);
}

#[test]
fn link_to_redirect_is_fixed_to_a_target_inside_the_tree() {
    // A redirect file named by the publish configuration (its sources
    // relative to its own folder), a docset served under /cpp/ (its
    // breadcrumb says so), and a redirect of a redirect.
    let d = check_files(&[
        (
            ".openpublishing.publish.config.json",
            "{\"docsets_to_publish\": [{\"build_source_folder\": \"docs\", \"redirection_files\": [\"docs/moves.json\"]}]}\n",
        ),
        (
            "docs/moves.json",
            "{\"redirections\": [\n\
             {\"source_path\": \"old.md\", \"redirect_url\": \"/cpp/middle\"},\n\
             {\"source_path\": \"middle.md\", \"redirect_url\": \"/cpp/guide/new-page\"},\n\
             {\"source_path\": \"gone.md\", \"redirect_url\": \"/cpp/guide/not-there\"}]}\n",
        ),
        (
            "docs/docfx.json",
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"], \"src\": \".\"}], \"globalMetadata\": {\"breadcrumb_path\": \"~/bread/toc.yml\"}}}\n",
        ),
        ("docs/bread/toc.yml", "- name: C++\n  tocHref: /cpp/\n"),
        (
            "docs/sub/a.md",
            "# A\n\nSee [the old page](../old.md#part) and [gone](/cpp/gone).\n",
        ),
        ("docs/guide/new-page.md", "# New page\n\n## Part\n"),
    ]);
    assert_eq!(
        all(&d),
        [
            (
                "link-to-redirect",
                "docs/sub/a.md",
                3,
                5,
                "link target `../old.md` has moved: a redirect file sends it to `/cpp/middle`"
            ),
            (
                "link-to-redirect",
                "docs/sub/a.md",
                3,
                40,
                "link target `/cpp/gone` has moved: a redirect file sends it to `/cpp/guide/not-there`"
            ),
        ]
    );
    let fixes: Vec<Option<&str>> = of(&d, "link-to-redirect")
        .map(|f| f.fix.as_ref().map(|f| f.replacement.as_str()))
        .collect();
    // The second's target is not in the tree: named, never written.
    assert_eq!(fixes, [Some("../guide/new-page.md"), None]);
}

#[test]
fn site_absolute_links_lead_through_a_docsets_url_path() {
    let d = check_files(&[
        (
            "docs/docfx.json",
            "{\"build\": {\"content\": [{\"files\": [\"**/*.md\"], \"src\": \"articles\", \"dest\": \"guide\"}, {\"files\": [\"*.md\", \"*.yml\"], \"src\": \".\"}]}}\n",
        ),
        ("runsheet.toml", "site-path = \"/cpp/\"\n"),
        (
            "docs/index.md",
            "# Home\n\n[Build](/cpp/guide/build#steps), [Home](/cpp/), \
             [Windows](/windows/apps/), [Logo](~/media/logo.png), [Gone](/cpp/guide/gone).\n",
        ),
        ("docs/articles/build.md", "# Build\n\n## Steps\n"),
        ("docs/media/logo.png", "png"),
    ]);
    assert_eq!(
        all(&d),
        [(
            "broken-link",
            "docs/index.md",
            3,
            102,
            "link target `/cpp/guide/gone` is not published by this tree: `docs/articles/gone.md` does not exist"
        )]
    );
}
