//! A step's or a block's Markdown as HTML for the printable runbook: raw
//! HTML in the chapter is shown as text (except a few inline formatting
//! tags without attributes, such as `<kbd>` and `<br>`), so nothing in a
//! chapter can run in it. Images are shown from where the chapter's link
//! leads (relative to the runbook's folder, or a web address); an image
//! whose address has another scheme (`data:`, `javascript:`) is its
//! description. GitHub alerts (`> [!WARNING]`) become call-outs with their
//! label, `<aside class="alert alert-warning">`.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The opening of an alert's call-out.
fn alert_open(kind: BlockQuoteKind) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<aside class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{label}</p>\n"
    )
}

pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    // A link whose scheme could run something (`javascript:`, `data:`) is
    // shown as emphasised text: only web, mail and relative links stay.
    let mut in_unsafe_link = false;
    let mut in_unsafe_image = false;
    // Code in a table cell breaks only after `.`, `_` and the like, so
    // that a narrow column does not break an identifier mid-word.
    let mut in_table = false;
    let events = Parser::new_ext(markdown, options).map(move |event| match event {
        Event::Start(Tag::Table(a)) => {
            in_table = true;
            Event::Start(Tag::Table(a))
        }
        Event::End(TagEnd::Table) => {
            in_table = false;
            Event::End(TagEnd::Table)
        }
        Event::Code(code) if in_table => Event::InlineHtml(CowStr::from(format!(
            "<code>{}</code>",
            super::templates::break_at_separators(&code)
        ))),
        Event::Start(Tag::BlockQuote(Some(kind))) => Event::Html(CowStr::from(alert_open(kind))),
        Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html(CowStr::from("</aside>\n")),
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_destination(dest_url) => {
            in_unsafe_link = true;
            Event::Start(Tag::Emphasis)
        }
        Event::End(TagEnd::Link) if in_unsafe_link => {
            in_unsafe_link = false;
            Event::End(TagEnd::Emphasis)
        }
        Event::InlineHtml(html) if is_formatting_tag(&html) => Event::InlineHtml(html),
        // A comment, which a reader of the chapter does not see (a step's
        // own id, `<!-- runsheet-step: ID -->`).
        Event::InlineHtml(html) if is_comment(&html) => Event::Text(CowStr::from("")),
        // Raw HTML is shown as the text it is written as, its character
        // references read (a value filled into it was escaped for HTML
        // once, and the text is escaped once more as it is written out).
        Event::Html(html) | Event::InlineHtml(html) => {
            Event::Text(CowStr::from(character_references(&html)))
        }
        Event::Start(Tag::Image { ref dest_url, .. }) if !safe_destination(dest_url) => {
            in_unsafe_image = true;
            Event::Start(Tag::Emphasis)
        }
        Event::End(TagEnd::Image) if in_unsafe_image => {
            in_unsafe_image = false;
            Event::End(TagEnd::Emphasis)
        }
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    // A step that is one paragraph reads better without the <p>.
    let trimmed = out.trim_end();
    if let Some(inner) = trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|s| !s.contains("<p>"))
    {
        return inner.to_string();
    }
    out.truncate(trimmed.len());
    out
}

/// The Content-Security-Policy `render --no-remote` gives `runbook.html`:
/// images from its own folder and `data:` only.
pub const NO_REMOTE_POLICY: &str =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"img-src 'self' data:\">";

/// A rendered `runbook.html` that loads no image from elsewhere: the
/// policy [`NO_REMOTE_POLICY`] in its head (after `<meta charset>`, as a
/// policy must come before what it governs; at its start when it has
/// none), and each `<img>` whose source is a web address (`http:`,
/// `https:`, `//host`) a link to it named by its description. The page is
/// runsheet's (or a book's template's), written as pulldown-cmark writes
/// an image: `<img src="…" alt="…"`.
pub fn without_remote_images(page: &str) -> String {
    static IMG: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?i)<img\s+src="((?:https?:|//)[^"]*)"(?:\s+alt="([^"]*)")?[^>]*>"#)
            .ok()
    });
    let page = match IMG.as_ref() {
        Some(img) => img.replace_all(page, |c: &regex::Captures<'_>| {
            let src = c.get(1).map_or("", |m| m.as_str());
            let alt = c.get(2).map_or("", |m| m.as_str());
            let text = if alt.is_empty() { src } else { alt };
            format!("<a href=\"{src}\" class=\"remote-image\">{text}</a>")
        }),
        None => std::borrow::Cow::Borrowed(page),
    };
    let lower = page.to_ascii_lowercase();
    let at = lower
        .find("<meta charset")
        .and_then(|i| lower.get(i..)?.find('>').map(|e| i + e + 1))
        .or_else(|| lower.find("<head>").map(|i| i + "<head>".len()))
        .unwrap_or(0);
    let mut out = String::with_capacity(page.len() + NO_REMOTE_POLICY.len() + 1);
    out.push_str(page.get(..at).unwrap_or(""));
    out.push_str(NO_REMOTE_POLICY);
    out.push_str(page.get(at..).unwrap_or(""));
    out
}

/// `text` with the character references HTML escaping writes read back:
/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&apos;` and numeric ones
/// (`&#38;`, `&#x26;`); any other `&` stays as it is. Written here: the
/// five names and numbers are all runsheet's own escaping produces, and a
/// reader of every HTML entity would add a table of two thousand.
fn character_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let from = &rest[at..];
        let end = from.get(1..).and_then(|r| r.find(';')).map(|i| i + 1);
        let decoded = end.filter(|&e| e <= 10).and_then(|e| {
            let name = from.get(1..e)?;
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let n = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(n).filter(|c| *c != '\0')?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &from[len..];
            }
            None => {
                out.push('&');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether inline HTML is one comment.
fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--") && html.ends_with("-->") && html.len() >= 7
}

/// Whether a link may go into the page as a link: `http:`, `https:`,
/// `mailto:`, or no scheme at all (relative, `#anchor`). Browsers ignore
/// tabs and new lines in a scheme and read it in any case, so this does.
pub fn safe_destination(dest: &str) -> bool {
    scheme(dest).is_none_or(|s| matches!(s.as_str(), "http" | "https" | "mailto"))
}

/// Whether a link's scheme runs something where it is followed:
/// `javascript:`, `vbscript:`, or `data:` (a page or an image of the
/// link's own making).
pub fn runs_script(dest: &str) -> bool {
    scheme(dest).is_some_and(|s| matches!(s.as_str(), "javascript" | "vbscript" | "data"))
}

/// A destination's scheme as a browser reads it, lower-cased; `None` for
/// a relative one.
fn scheme(dest: &str) -> Option<String> {
    let cleaned: String = dest
        .trim_start_matches(|c: char| c.is_ascii_control() || c == ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = cleaned.get(..colon)?;
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a `/`, `?` or `#`: a relative path.
    is_scheme.then(|| scheme.to_ascii_lowercase())
}

/// `<kbd>`, `</em>`, `<br/>`: inline formatting without attributes.
fn is_formatting_tag(html: &str) -> bool {
    let Some(inner) = html.strip_prefix('<').and_then(|h| h.strip_suffix('>')) else {
        return false;
    };
    let name = inner
        .strip_prefix('/')
        .unwrap_or(inner)
        .trim_end_matches('/')
        .trim_end()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "b" | "i"
            | "em"
            | "strong"
            | "kbd"
            | "code"
            | "sub"
            | "sup"
            | "br"
            | "u"
            | "s"
            | "mark"
            | "small"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_html_shows_a_value_escaped_once() {
        let html =
            super::markdown_to_html("<div>A &amp; B &lt;C&gt; &#39;d&#x27; &nbsp; & e</div>\n");
        assert_eq!(
            html,
            "&lt;div&gt;A &amp; B &lt;C&gt; 'd' &amp;nbsp; &amp; e&lt;/div&gt;\n"
        );
    }

    #[test]
    fn links_that_could_run_something_become_text() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            let html = super::markdown_to_html(&format!("[click](<{bad}>)"));
            assert_eq!(html, "<em>click</em>", "{bad}");
        }
        for good in [
            "https://example.com/a:b",
            "mailto:a@b.c",
            "../docs/x.md#a",
            "#top",
            "a/b:c",
        ] {
            let html = super::markdown_to_html(&format!("[go]({good})"));
            assert!(html.starts_with("<a href="), "{good}: {html}");
        }
    }

    use super::*;

    #[test]
    fn a_comment_is_not_shown_and_code_in_a_table_breaks_after_dots() {
        assert_eq!(
            super::markdown_to_html("Select **Next**. <!-- runsheet-step: next -->"),
            "Select <strong>Next</strong>. "
        );
        let table = super::markdown_to_html("| Key |\n| --- |\n| `a.b_c` |\n");
        assert!(
            table.contains("<code><span class=\"nb\">a.</span><wbr><span class=\"nb\">b_</span><wbr><span class=\"nb\">c</span></code>"),
            "{table}"
        );
    }

    #[test]
    fn one_paragraph_has_no_p() {
        assert_eq!(
            markdown_to_html("Run **Export** on `ADMA`."),
            "Run <strong>Export</strong> on <code>ADMA</code>."
        );
    }

    #[test]
    fn raw_html_is_text_and_images_show_from_safe_addresses_only() {
        assert_eq!(
            markdown_to_html("Click <script>alert(1)</script> ![the button](b.png)"),
            "Click &lt;script&gt;alert(1)&lt;/script&gt; <img src=\"b.png\" alt=\"the button\" />"
        );
        assert_eq!(
            markdown_to_html("![x](<javascript:alert(1)>) ![y](data:image/png;base64,AA)"),
            "<em>x</em> <em>y</em>"
        );
    }

    #[test]
    fn alerts_are_call_outs_with_their_label() {
        let html = markdown_to_html("> [!WARNING]\n> Do not *stop* it.\n");
        assert_eq!(
            html,
            "<aside class=\"alert alert-warning\" role=\"note\"><p class=\"alert-title\">Warning</p>\n<p>Do not <em>stop</em> it.</p>\n</aside>"
        );
    }

    #[test]
    fn inline_formatting_tags_without_attributes_are_kept() {
        assert_eq!(
            markdown_to_html(
                "Press <kbd>Ctrl</kbd>+<KBD>C</KBD>,<br/> <em onclick=\"x()\">here</em>"
            ),
            "Press <kbd>Ctrl</kbd>+<KBD>C</KBD>,<br/> &lt;em onclick=\"x()\"&gt;here</em>"
        );
    }

    #[test]
    fn nested_lists_and_code_stay_blocks() {
        let html = markdown_to_html("Do this:\n\n```powershell\nGet-Item 'a<b'\n```\n");
        assert!(html.starts_with("<p>Do this:</p>"), "{html}");
        assert!(
            html.contains(
                "<pre><code class=\"language-powershell\">Get-Item 'a&lt;b'\n</code></pre>"
            ),
            "{html}"
        );
    }
}
