//! Helpers the integration tests share: writing guides into temporary
//! folders and copying fixture books.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// Write `files` (path relative to `root`, text) under `root`, making
/// folders as needed.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        write_bytes(root, path, text.as_bytes());
    }
}

/// Write one file of raw bytes under `root`, making folders as needed.
pub fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

/// Copy the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The `runsheet` program of this build.
pub fn runsheet() -> Command {
    Command::cargo_bin("runsheet").unwrap()
}

/// The findings of severity `error` in a JSON report.
pub fn errors(json: &Value) -> Vec<&Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

/// A copy of this repository's book (book.toml, variables.yaml, docs,
/// environments, templates, README, and the lab's export the README
/// verifies, `tests/fixtures/verify-lab`) in a fresh Git repository with
/// one commit, which is also `origin/main`.
pub fn book_repository() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for file in ["book.toml", "variables.yaml", "README.md"] {
        std::fs::copy(repo.join(file), root.join(file)).unwrap();
    }
    for folder in [
        "docs",
        "environments",
        "templates",
        "tests/fixtures/verify-lab",
    ] {
        if repo.join(folder).is_dir() {
            copy_dir(&repo.join(folder), &root.join(folder));
        }
    }
    git(root, &["init", "--quiet"]);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "the book"]);
    git(root, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    dir
}

/// Run `git ARGS` in `root`, as a test user.
pub fn git(root: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(root)
        .args([
            "-c",
            "user.name=runsheet tests",
            "-c",
            "user.email=tests@runsheet.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Run a shell command line in `root`, with this build's programs first on
/// `PATH`.
pub fn shell(root: &Path, command: &str) -> std::process::Output {
    let programs = assert_cmd::cargo::cargo_bin("runsheet");
    let path = format!(
        "{}:{}",
        programs.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("sh")
        .args(["-c", command])
        .current_dir(root)
        .env("PATH", path)
        .output()
        .unwrap()
}

// ---------------------------------------------------------------- tools

/// A program some tests need from the machine, and how to install it.
#[derive(Debug)]
pub struct Tool {
    pub program: &'static str,
    pub install: &'static str,
    /// One of the browser tests' programs, which `RUNSHEET_REQUIRE_BROWSER=1`
    /// requires.
    pub browser: bool,
}

pub const GIT: Tool = Tool {
    program: "git",
    install: "Debian: apt-get install git",
    browser: false,
};
pub const MDBOOK: Tool = Tool {
    program: "mdbook",
    install: "cargo install mdbook --locked --version ^0.5",
    browser: false,
};
pub const PYTHON3: Tool = Tool {
    program: "python3",
    install: "Debian: apt-get install python3",
    browser: false,
};
pub const SCRIPT: Tool = Tool {
    program: "script",
    install: "util-linux's; Debian: apt-get install bsdutils",
    browser: false,
};
pub const SETPRIV: Tool = Tool {
    program: "setpriv",
    install: "util-linux's; Debian: apt-get install util-linux",
    browser: false,
};
pub const DOT: Tool = Tool {
    program: "dot",
    install: "Graphviz; Debian: apt-get install graphviz",
    browser: false,
};
pub const CHROMIUM: Tool = Tool {
    program: "chromium",
    install: "Debian: apt-get install chromium",
    browser: true,
};
pub const NODE: Tool = Tool {
    program: "node",
    install: "Debian: apt-get install nodejs",
    browser: true,
};
pub const PDFTOTEXT: Tool = Tool {
    program: "pdftotext",
    install: "poppler's; Debian: apt-get install poppler-utils",
    browser: true,
};
pub const PDFTOPPM: Tool = Tool {
    program: "pdftoppm",
    install: "poppler's; Debian: apt-get install poppler-utils",
    browser: true,
};

/// Whether `program` is an executable file in a folder of `PATH`.
pub fn installed(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        std::fs::metadata(dir.join(program))
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// What a test does when programs it needs are missing.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// Everything is installed: run.
    Nothing,
    /// Fail: this machine is meant to have them (the message says which
    /// and how to install them).
    Fail(String),
    /// Skip, saying so in one line.
    Skip(String),
}

/// The decision for a test that needs `missing` (programs not installed),
/// given the environment variables `var` reads: a missing program fails
/// the test where `CI=true` or `RUNSHEET_REQUIRE_TOOLS=1`, and a browser
/// program where `RUNSHEET_REQUIRE_BROWSER=1`; elsewhere the test is
/// skipped.
pub fn decide(test: &str, missing: &[&Tool], var: impl Fn(&str) -> Option<String>) -> Missing {
    if missing.is_empty() {
        return Missing::Nothing;
    }
    let named: Vec<String> = missing
        .iter()
        .map(|t| format!("`{}` ({})", t.program, t.install))
        .collect();
    let names = named.join(", ");
    let set = |name: &str, value: &str| var(name).as_deref() == Some(value);
    let required = if set("CI", "true") {
        Some("CI=true")
    } else if set("RUNSHEET_REQUIRE_TOOLS", "1") {
        Some("RUNSHEET_REQUIRE_TOOLS=1")
    } else if set("RUNSHEET_REQUIRE_BROWSER", "1") && missing.iter().any(|t| t.browser) {
        Some("RUNSHEET_REQUIRE_BROWSER=1")
    } else {
        None
    };
    match required {
        Some(why) => Missing::Fail(format!(
            "{test} needs {names}, which is not installed, and {why} requires it"
        )),
        None => Missing::Skip(format!("skipped {test}: {names} is not installed")),
    }
}

/// Whether the programs `tools` are all installed. When one is missing,
/// the test cannot run: where the machine is meant to have it (see
/// [`decide`]) this fails the test; elsewhere it prints one line saying
/// the test is skipped and why, and returns false, and the test returns.
pub fn have(tools: &[&Tool]) -> bool {
    let missing: Vec<&Tool> = tools
        .iter()
        .copied()
        .filter(|t| !installed(t.program))
        .collect();
    can_run(&missing)
}

/// tree-sitter's PowerShell grammar for Python, which `scripts/ps-parse`
/// parses the rendered run cycle scripts with.
pub const TREE_SITTER_POWERSHELL: Tool = Tool {
    program: "python3 with tree_sitter and tree_sitter_powershell",
    install: "python3 -m pip install tree-sitter tree-sitter-powershell; .ci/run installs them",
    browser: false,
};

/// Whether `python3` can import every module of `modules`; when it
/// cannot, `tool` is missing, as [`have`] decides.
pub fn have_python(modules: &[&str], tool: &Tool) -> bool {
    let imports = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output()
        .is_ok_and(|o| o.status.success());
    if imports {
        can_run(&[])
    } else {
        can_run(&[tool])
    }
}

/// Whether a test missing `missing` runs, fails or is skipped aloud.
fn can_run(missing: &[&Tool]) -> bool {
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    match decide(&test, missing, |name| std::env::var(name).ok()) {
        Missing::Nothing => true,
        Missing::Fail(message) => panic!("{message}"),
        Missing::Skip(message) => {
            eprintln!("{message}");
            false
        }
    }
}

#[test]
fn a_missing_tool_fails_where_tools_are_required_and_is_skipped_aloud_elsewhere() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(decide("t", &[], env(&[("CI", "true")])), Missing::Nothing);
    assert_eq!(
        decide("t", &[&MDBOOK], env(&[])),
        Missing::Skip(
            "skipped t: `mdbook` (cargo install mdbook --locked --version ^0.5) is not installed"
                .to_string()
        )
    );
    // CI=false and other values are not CI.
    assert!(matches!(
        decide("t", &[&GIT], env(&[("CI", "false")])),
        Missing::Skip(_)
    ));
    assert_eq!(
        decide("t", &[&SCRIPT], env(&[("CI", "true")])),
        Missing::Fail(
            "t needs `script` (util-linux's; Debian: apt-get install bsdutils), which is not installed, and CI=true requires it"
                .to_string()
        )
    );
    assert!(matches!(
        decide("t", &[&GIT], env(&[("RUNSHEET_REQUIRE_TOOLS", "1")])),
        Missing::Fail(m) if m.ends_with("RUNSHEET_REQUIRE_TOOLS=1 requires it")
    ));
    // RUNSHEET_REQUIRE_BROWSER=1 requires the browser's programs only.
    assert!(matches!(
        decide("t", &[&CHROMIUM, &PDFTOTEXT], env(&[("RUNSHEET_REQUIRE_BROWSER", "1")])),
        Missing::Fail(m) if m.starts_with("t needs `chromium` (Debian: apt-get install chromium), `pdftotext`")
    ));
    assert!(matches!(
        decide("t", &[&MDBOOK], env(&[("RUNSHEET_REQUIRE_BROWSER", "1")])),
        Missing::Skip(_)
    ));
}

/// The effective user id, read from /proc (no unsafe code in tests).
pub fn euid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(u32::MAX)
}

/// The `runsheet` program as a user for whom permissions count: itself,
/// or, for root (who reads every file), `nobody` through util-linux's
/// `setpriv`, with the temporary folders above `dir` opened to it. `None`
/// when that cannot be (see [`have`]).
pub fn runsheet_without_privileges(dir: &Path) -> Option<std::process::Command> {
    use std::os::unix::fs::PermissionsExt;
    let program = assert_cmd::cargo::cargo_bin("runsheet");
    if euid() != 0 {
        return Some(std::process::Command::new(program));
    }
    if !have(&[&SETPRIV]) {
        return None;
    }
    // The temporary folder is private to its owner; `nobody` must reach it.
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.starts_with(std::env::temp_dir()) && d != std::env::temp_dir() {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        at = d.parent();
    }
    let mut c = std::process::Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(program);
    Some(c)
}
