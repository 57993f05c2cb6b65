//! A rule's examples: what it reports and the same corrected, as typed data
//! the rule reference page shows and the test suite checks (each failing
//! example is written out and must be reported by its rule, each passing
//! one must not). Not a rule itself.

/// One example of a rule at work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Example {
    /// A chapter's Markdown: the file [`Example::CHAPTER`], alone in the
    /// folder that is checked.
    Markdown(&'static str),
    /// A small tree of files, checked from its root: a plain folder, an
    /// mdBook (a `book.toml` and a `SUMMARY.md`), a DocFX tree (a
    /// `docfx.json`), a book with `variables.yaml` and `environments/`.
    Files(&'static [File]),
    /// A server's export held to an environment (a rule of `runsheet
    /// verify`): a book with [`Example::ENVIRONMENT`] among its
    /// environments, and the export's files under [`Example::EXPORT`],
    /// verified as `runsheet verify --env lab export`.
    Export(&'static [File]),
    /// In words, for a case that no file tree can show.
    Prose(&'static str),
}

/// One file of an [`Example::Files`] tree. Paths are relative to the root
/// of the folder checked and use `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    /// A text file: its path and its text.
    Text(&'static str, &'static str),
    /// A file of raw bytes: text in another encoding, or line endings as
    /// they are written.
    Bytes(&'static str, &'static [u8]),
    /// An image: its content is not read, only its name counts.
    Image(&'static str),
    /// A symbolic link: its path and the path it points to.
    Symlink(&'static str, &'static str),
    /// A file that cannot be read (no read permission): its path and the
    /// text it holds.
    Unreadable(&'static str, &'static str),
}

/// The `book.toml` of an mdBook whose chapters are under `src/`: what an
/// example that is a book starts with.
pub const BOOK_TOML: File = File::Text("book.toml", "[book]\ntitle = \"Guide\"\nsrc = \"src\"\n");

/// The book of an [`Example::Export`]: one chapter with a run-profile
/// table of one profile, Full Synchronization.
pub const PROFILES_SUMMARY: File = File::Text(
    "src/SUMMARY.md",
    "# Summary\n\n- [Run profiles](profiles.md)\n",
);

/// The chapter of [`PROFILES_SUMMARY`].
pub const PROFILES_CHAPTER: File = File::Text(
    "src/profiles.md",
    "# Run profiles\n\nCreate this run profile on each management agent:\n\n| Name | Type |\n| --- | --- |\n| Full Synchronization | Full Synchronization |\n",
);

/// An environment of one Active Directory agent, `ADMA`, whose partition
/// includes the OU `Guests`.
pub const LAB_AD: File = File::Text(
    "environments/lab.yaml",
    "agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: DC=contoso,DC=local\nvalues:\n  ad:\n    scope:\n      include: [\"OU=Guests,DC=contoso,DC=local\"]\n",
);

/// An exported management agent (`MA-{GUID}.XML`), as `svrexport.exe`
/// writes one, with its name, category, one partition (its name, whether
/// it is selected, and the `<containers>` inside its filter) and the
/// `<run-configuration>`s written by [`run_profile_xml!`].
macro_rules! ma_xml {
    (
        name: $name:expr,
        category: $category:expr,
        partition: $partition:expr,
        selected: $selected:expr,
        containers: $containers:expr,
        profiles: $profiles:expr $(,)?
    ) => {
        $crate::check::rules::example::ma_xml!(
            name: $name,
            category: $category,
            partition: $partition,
            selected: $selected,
            containers: $containers,
            more_partitions: "",
            profiles: $profiles,
        )
    };
    (
        name: $name:expr,
        category: $category:expr,
        partition: $partition:expr,
        selected: $selected:expr,
        containers: $containers:expr,
        more_partitions: $more:expr,
        profiles: $profiles:expr $(,)?
    ) => {
        concat!(
            "<saved-ma-configuration server='MIM01' export-date='2026-03-02 09:15:00.000'>\n",
            "<ma-data>\n",
            " <format-version>1</format-version>\n",
            " <id>{5B0D2A55-6E4B-4C55-9C44-8A1D5E0C1F01}</id>\n",
            " <name>", $name, "</name>\n",
            " <category>", $category, "</category>\n",
            " <subtype/>\n",
            " <ma-partition-data>\n",
            " <partition>\n",
            "  <id>{8F3B1C2D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}</id>\n",
            "  <name>", $partition, "</name>\n",
            "  <selected>", $selected, "</selected>\n",
            "  <filter><containers>", $containers, "</containers></filter>\n",
            " </partition>\n",
            $more,
            " </ma-partition-data>\n",
            " <ma-run-data>\n",
            $profiles,
            " </ma-run-data>\n",
            "</ma-data>\n",
            "</saved-ma-configuration>\n"
        )
    };
}
pub(crate) use ma_xml;

/// One `<run-configuration>` of [`ma_xml!`]: its name, one step of
/// `<step-type type="TYPE">SUBTYPE</step-type>` against the partition,
/// with `<threshold>THRESHOLD</threshold>`.
macro_rules! run_profile_xml {
    ($name:expr, $step_type:expr, $subtype:expr, $threshold:expr $(,)?) => {
        concat!(
            " <run-configuration>\n",
            "  <id>{2C6A8E14-3B5D-4F7A-9C1E-0D2F4A6B8C0E}</id>\n",
            "  <name>",
            $name,
            "</name>\n",
            "  <configuration><step><step-type type=\"",
            $step_type,
            "\">",
            $subtype,
            "</step-type><threshold>",
            $threshold,
            "</threshold><partition>{8F3B1C2D-4E5F-4A6B-8C7D-9E0F1A2B3C4D}</partition>",
            "<custom-data><adma-step-data><batch-size>100</batch-size><page-size>500</page-size>",
            "<time-limit>120</time-limit></adma-step-data></custom-data></step></configuration>\n",
            " </run-configuration>\n"
        )
    };
}
pub(crate) use run_profile_xml;

/// The `<containers>` of a partition that includes only the OU `Guests`.
macro_rules! guests_only {
    () => {
        "<exclusions/><inclusions><inclusion>OU=Guests,DC=contoso,DC=local</inclusion></inclusions>"
    };
}
pub(crate) use guests_only;

/// `ADMA` as [`LAB_AD`] requires it: category AD, the partition selected
/// and scoped to `Guests`, the Full Synchronization profile.
macro_rules! adma_as_required {
    () => {
        $crate::check::rules::example::ma_xml!(
            name: "ADMA",
            category: "AD",
            partition: "DC=contoso,DC=local",
            selected: "1",
            containers: $crate::check::rules::example::guests_only!(),
            profiles: $crate::check::rules::example::run_profile_xml!(
                "Full Synchronization",
                "apply-rules",
                "<apply-rules-subtype>reevaluate-flow-connectors</apply-rules-subtype>",
                "<batch-size>1</batch-size>",
            ),
        )
    };
}
pub(crate) use adma_as_required;

impl File {
    /// Where the file is, from the root of the folder checked.
    pub fn path(&self) -> &'static str {
        match *self {
            File::Text(p, _)
            | File::Bytes(p, _)
            | File::Image(p)
            | File::Symlink(p, _)
            | File::Unreadable(p, _) => p,
        }
    }
}

impl Example {
    /// The file name an [`Example::Markdown`] chapter is written as.
    pub const CHAPTER: &'static str = "chapter.md";

    /// The environment an [`Example::Export`] is verified against.
    pub const ENVIRONMENT: &'static str = "lab";

    /// The folder of an [`Example::Export`] that holds the export.
    pub const EXPORT: &'static str = "export";

    /// The files the example is made of (a Markdown example is one), or
    /// `None` for an example in words.
    pub fn files(&self) -> Option<Vec<File>> {
        match *self {
            Example::Markdown(text) => Some(vec![File::Text(Example::CHAPTER, text)]),
            Example::Files(files) | Example::Export(files) => Some(files.to_vec()),
            Example::Prose(_) => None,
        }
    }

    /// The example as Markdown, for the rule reference page and SARIF's
    /// help: a chapter as a fenced block; a tree as each file's path with
    /// its text fenced in its own language.
    pub fn markdown(&self) -> String {
        match *self {
            Example::Markdown(text) => fenced("markdown", text),
            Example::Prose(text) => text.to_string(),
            Example::Files(files) | Example::Export(files) => {
                let shown: Vec<String> = files
                    .iter()
                    .map(|f| match *f {
                        File::Text(path, text) => {
                            format!("`{path}`:\n\n{}", fenced(language(path), text))
                        }
                        File::Bytes(path, bytes) => {
                            let said = escapes(bytes);
                            let said = if said.is_empty() {
                                said
                            } else {
                                format!(" ({said})")
                            };
                            format!(
                                "`{path}`, byte for byte{said}:\n\n{}",
                                fenced("text", &escaped(bytes))
                            )
                        }
                        File::Image(path) => format!("`{path}`: an image."),
                        File::Symlink(path, to) => {
                            format!("`{path}`: a symbolic link to `{to}`.")
                        }
                        File::Unreadable(path, text) => format!(
                            "`{path}`, which no one may read (no read permission):\n\n{}",
                            fenced(language(path), text)
                        ),
                    })
                    .collect();
                shown.join("\n\n")
            }
        }
    }

    /// The example as plain text, for SARIF's text help: a chapter as it
    /// is; a tree as each file's path with its text indented below it.
    pub fn text(&self) -> String {
        match *self {
            Example::Markdown(text) | Example::Prose(text) => text.to_string(),
            Example::Files(files) | Example::Export(files) => {
                let indent = |text: &str| -> String {
                    text.lines()
                        .map(|l| format!("    {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let shown: Vec<String> = files
                    .iter()
                    .map(|f| match *f {
                        File::Text(path, text) => format!("{path}:\n{}", indent(text)),
                        File::Bytes(path, bytes) => {
                            format!("{path} (bytes):\n{}", indent(&escaped(bytes)))
                        }
                        File::Image(path) => format!("{path}: an image"),
                        File::Symlink(path, to) => format!("{path}: a symbolic link to {to}"),
                        File::Unreadable(path, text) => {
                            format!("{path} (not readable):\n{}", indent(text))
                        }
                    })
                    .collect();
                shown.join("\n")
            }
        }
    }
}

/// `text` in a fenced code block of `language`, the fence longer than any
/// run of backticks inside.
fn fenced(language: &str, text: &str) -> String {
    let mut fence = "```".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    format!(
        "{fence}{language}\n{}\n{fence}",
        text.trim_end_matches('\n')
    )
}

/// The language a file's text is fenced in, by its extension.
fn language(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("md") => "markdown",
        Some("yaml" | "yml") => "yaml",
        Some("json") => "json",
        Some("toml") => "toml",
        Some("xml" | "XML") => "xml",
        _ => "text",
    }
}

/// What the escapes of [`escaped`] in `bytes` stand for, in words.
fn escapes(bytes: &[u8]) -> String {
    let mut said = Vec::new();
    if bytes.contains(&b'\r') {
        said.push("`\\r` is a carriage return".to_string());
    }
    let mut invalid: Vec<String> = bytes
        .utf8_chunks()
        .flat_map(|c| c.invalid().iter().map(|b| format!("`\\x{b:02X}`")))
        .collect();
    invalid.dedup();
    match invalid.as_slice() {
        [] => {}
        [one] => said.push(format!("{one} is a byte that is not UTF-8")),
        many => said.push(format!("{} are bytes that are not UTF-8", many.join(", "))),
    }
    if bytes.contains(&b'\\') {
        said.push("`\\\\` is a backslash".to_string());
    }
    said.join("; ")
}

/// Bytes as readable text: UTF-8 as it is, a carriage return as `\r`, a
/// backslash as `\\`, any byte that is not UTF-8 as `\xNN`.
fn escaped(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\r' => out.push_str("\\r"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chapter_is_one_file_shown_as_markdown() {
        let e = Example::Markdown("# A\n");
        assert_eq!(e.files(), Some(vec![File::Text("chapter.md", "# A\n")]));
        assert_eq!(e.markdown(), "```markdown\n# A\n```");
        assert_eq!(e.text(), "# A\n");
    }

    #[test]
    fn a_tree_shows_each_file_with_its_path_in_its_language() {
        let e = Example::Files(&[
            File::Text("book.toml", "[book]\n"),
            File::Text("src/a.md", "```sh\nx\n```\n"),
            File::Bytes("b.md", b"# Caf\xe9\r\\"),
            File::Image("media/a.png"),
            File::Symlink("c.md", "/etc/passwd"),
        ]);
        assert_eq!(
            e.markdown(),
            "`book.toml`:\n\n```toml\n[book]\n```\n\n\
             `src/a.md`:\n\n````markdown\n```sh\nx\n```\n````\n\n\
             `b.md`, byte for byte (`\\r` is a carriage return; `\\xE9` is a byte that is not UTF-8; `\\\\` is a backslash):\n\n```text\n# Caf\\xE9\\r\\\\\n```\n\n\
             `media/a.png`: an image.\n\n\
             `c.md`: a symbolic link to `/etc/passwd`."
        );
        assert_eq!(
            e.text(),
            "book.toml:\n    [book]\nsrc/a.md:\n    ```sh\n    x\n    ```\nb.md (bytes):\n    # Caf\\xE9\\r\\\\\nmedia/a.png: an image\nc.md: a symbolic link to /etc/passwd"
        );
    }

    #[test]
    fn words_are_no_files() {
        assert_eq!(Example::Prose("a chapter").files(), None);
    }
}
