//! A step's Markdown as HTML for the printable runbook: raw HTML in the
//! chapter is shown as text (except a few inline formatting tags without
//! attributes, such as `<kbd>` and `<br>`) and images as their description,
//! so the page stays self-contained and nothing in a chapter can run in it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::InlineHtml(html) if is_formatting_tag(&html) => Event::InlineHtml(html),
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Image { .. }) => Event::Start(Tag::Emphasis),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Emphasis),
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
    use super::*;

    #[test]
    fn one_paragraph_has_no_p() {
        assert_eq!(
            markdown_to_html("Run **Export** on `ADMA`."),
            "Run <strong>Export</strong> on <code>ADMA</code>."
        );
    }

    #[test]
    fn raw_html_is_text_and_images_are_their_description() {
        assert_eq!(
            markdown_to_html("Click <script>alert(1)</script> ![the button](b.png)"),
            "Click &lt;script&gt;alert(1)&lt;/script&gt; <em>the button</em>"
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
