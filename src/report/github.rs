//! `--format github`: workflow commands that GitHub Actions turns into
//! annotations on the pull request.
//! `::error file=F,line=L,col=C,endColumn=E,title=RULE::message`

use super::Checked;
use crate::check::Severity;

pub fn write<W: std::io::Write + ?Sized>(
    checked: &[Checked<'_>],
    w: &mut W,
) -> std::io::Result<()> {
    super::stream::each(w, &super::stream::all(checked), "", command)
}

pub fn render(checked: &[Checked<'_>]) -> String {
    super::stream::to_string(|w| write(checked, w))
}

/// One finding as a workflow command line.
fn command(c: &Checked<'_>, d: &crate::check::Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help);
    }
    let mut out = format!(
        "::{level} file={},line={},col={}",
        property(&c.display_path(&d.file)),
        d.line,
        d.column
    );
    if d.end_line == d.line && d.end_column > d.column {
        out.push_str(&format!(",endColumn={}", d.end_column));
    }
    if d.end_line > d.line {
        out.push_str(&format!(",endLine={}", d.end_line));
    }
    out.push_str(&format!(
        ",title={}::{}\n",
        property(d.rule.as_str()),
        data(&message)
    ));
    out
}

/// The toolkit's escaping of a command's message.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's escaping of a property value.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
