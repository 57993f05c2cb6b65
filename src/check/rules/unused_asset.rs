//! `unused-asset`: an image under the source folder that no chapter shows or
//! links to. Checking one file says nothing about the images beside it.

use crate::check::{Check, Diagnostic, GuideContext, RuleId, rules::Reads};
use crate::model::BookKind;
use crate::check::rules::{Example::Files, File::{Image, Text}};

declare_rule! {
    /// An image in the book that no chapter shows or links to.
    UnusedAsset {
        id: "unused-asset",
        default: Warning,
        fails: Files(&[
            Text("install.md", "# Install\n\nRun the wizard.\n"),
            Image("media/old-screenshot.png"),
        ]),
        passes: Files(&[
            Text("install.md", "# Install\n\nRun the wizard.\n\n![The wizard](media/old-screenshot.png)\n"),
            Image("media/old-screenshot.png"),
        ]),
    }
}

const IMAGE_EXTENSIONS: [&str; 9] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "avif",
];

impl Check for UnusedAsset {
    fn guide_reads(&self) -> Reads {
        Reads::LINKS
    }

    fn guide(&self, cx: &GuideContext<'_>, out: &mut Vec<Diagnostic>) {
        if cx.book.kind == BookKind::File {
            return;
        }
        for f in cx.file_list {
            let ext = f
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            if IMAGE_EXTENSIONS.contains(&ext.as_str()) && !cx.linked.contains(f.as_str()) {
                out.push(
                    Diagnostic::at_line(
                        RuleId::UnusedAsset,
                        f,
                        1,
                        "no chapter shows or links to this image",
                    )
                    .help("use it in a chapter, or delete it"),
                );
            }
        }
    }
}
