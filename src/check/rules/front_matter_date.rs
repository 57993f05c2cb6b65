//! `front-matter-date`: `ms.date` names a day that exists, written
//! MM/DD/YYYY as Microsoft Learn reads it (a month or day of one digit,
//! `4/2/2020`, is read the same and builds: not worth a finding).

use crate::check::{ChapterContext, Check, Diagnostic, RuleId, front_matter};
use crate::check::rules::Example::Markdown;

declare_rule! {
    /// `ms.date` that is not a real date written MM/DD/YYYY (or M/D/YYYY,
    /// which Microsoft Learn reads the same).
    FrontMatterDate {
        id: "front-matter-date",
        default: Warning,
        fails: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 2024-04-15\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
        passes: Markdown("---\ntitle: Install SQL Server\ndescription: Install SQL Server 2019 with the features MIM needs, as the account MIM setup uses later.\nauthor: jdoe\nms.date: 04/15/2024\nms.topic: how-to\n---\n\n# Install SQL Server\n"),
    }
}

impl Check for FrontMatterDate {
    fn chapter(&self, cx: &ChapterContext<'_>, out: &mut Vec<Diagnostic>) {
        let Some(date) = front_matter::of(cx).and_then(|fm| fm.values.get("ms.date")) else {
            return;
        };
        let text = front_matter::scalar_text(date);
        if !text.is_empty() && !is_mm_dd_yyyy(&text) {
            out.push(
                front_matter::at_key(
                    RuleId::FrontMatterDate,
                    cx.chapter,
                    "ms.date",
                    format!("`ms.date: {text}` is not a real date written MM/DD/YYYY"),
                )
                .help("write the date as MM/DD/YYYY, e.g. 04/15/2020"),
            );
        }
    }
}

/// `MM/DD/YYYY` (month and day of one or two digits) naming a day that
/// exists.
pub fn is_mm_dd_yyyy(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let [m, d, y] = parts.as_slice() else {
        return false;
    };
    if !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) || y.len() != 4 {
        return false;
    }
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d) && y >= 1900
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert!(is_mm_dd_yyyy("04/15/2020"));
        assert!(is_mm_dd_yyyy("02/29/2024"));
        assert!(!is_mm_dd_yyyy("02/29/2023"));
        assert!(!is_mm_dd_yyyy("13/01/2020"));
        assert!(!is_mm_dd_yyyy("2020-04-15"));
        assert!(is_mm_dd_yyyy("4/15/2020"));
        assert!(is_mm_dd_yyyy("4/2/2020"));
        assert!(!is_mm_dd_yyyy("4/31/2020"));
        assert!(!is_mm_dd_yyyy("004/15/2020"));
        assert!(!is_mm_dd_yyyy("+4/15/2020"));
    }
}
