//! Where a report was made: the working directory that the reported paths
//! are relative to, and the Git repositories the checked guides are in.
//! SARIF records both (`originalUriBaseIds`, `versionControlProvenance`).
//!
//! Git is asked, never needed: without `git` on `PATH`, outside a
//! repository, with no commit or no `origin` remote, or with a remote that
//! is no absolute URI, a guide simply has no repository here. Only local
//! commands are run (`rev-parse`, `symbolic-ref`, `remote get-url`); none
//! reaches the network.

use std::path::{Path, PathBuf};

/// The facts of the checkout a report was made in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkout {
    /// The working directory (absolute), which relative paths start from.
    pub working_dir: Option<PathBuf>,
    /// The repositories the checked guides are in, each once, in the order
    /// the guides were given.
    pub repositories: Vec<Repository>,
}

/// A Git repository a checked guide is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// The top of its working tree (absolute).
    pub root: PathBuf,
    /// Its `origin` remote as an absolute URI, without credentials (see
    /// [`repository_uri`]).
    pub uri: String,
    /// The commit checked out.
    pub revision: String,
    /// The branch checked out; none when `HEAD` is detached.
    pub branch: Option<String>,
}

impl Checkout {
    /// The working directory of this process and the repository of each of
    /// `dirs` (the checked guides' folders).
    pub fn of<'p>(dirs: impl IntoIterator<Item = &'p Path>) -> Checkout {
        let mut repositories: Vec<Repository> = Vec::new();
        for dir in dirs {
            if let Some(repo) = Repository::of(dir)
                && !repositories.iter().any(|r| r.root == repo.root)
            {
                repositories.push(repo);
            }
        }
        Checkout {
            working_dir: std::env::current_dir().ok(),
            repositories,
        }
    }
}

impl Repository {
    /// The repository that `dir` is in, as far as `git` tells.
    pub fn of(dir: &Path) -> Option<Repository> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let top = git(dir, &["rev-parse", "--show-toplevel", "HEAD"])?;
        let mut lines = top.lines();
        let root = PathBuf::from(lines.next()?);
        let revision = lines.next()?.to_string();
        let is_commit =
            matches!(revision.len(), 40 | 64) && revision.bytes().all(|b| b.is_ascii_hexdigit());
        if !root.is_absolute() || !is_commit {
            return None;
        }
        let uri = repository_uri(&git(dir, &["remote", "get-url", "origin"])?)?;
        let branch = git(dir, &["symbolic-ref", "--quiet", "--short", "HEAD"])
            .filter(|b| !b.is_empty() && !b.contains(char::is_whitespace));
        Some(Repository {
            root,
            uri,
            revision,
            branch,
        })
    }
}

/// What `git -C dir ARGS` prints, trimmed, when it succeeds (see
/// [`crate::git::git`]).
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    crate::git::git(dir, args)
        .ok()
        .map(|out| out.trim().to_string())
}

/// A remote's URL as an absolute URI that is safe to publish, or `None`.
///
/// Credentials (`user:token@`), queries and fragments are dropped, and so
/// is a final `.git`. SSH remotes, as URLs or in scp form
/// (`git@github.com:owner/repo.git`), become the `https` address of the
/// same path (`https://github.com/owner/repo`). Local paths, `file:` URLs
/// and other transports give `None`.
pub fn repository_uri(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let Some((scheme, rest)) = remote.split_once("://") else {
        return scp_uri(remote);
    };
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = path.split(['?', '#']).next().unwrap_or("");
    match scheme.as_str() {
        "https" | "http" | "git" => build(&scheme, host, true, path),
        "ssh" | "git+ssh" | "ssh+git" => build("https", host, false, path),
        _ => None,
    }
}

/// `[user@]host:path`, as git reads it: a colon before the first slash,
/// and a host that is not a drive letter.
fn scp_uri(remote: &str) -> Option<String> {
    // `transport::address` names a transport program, not a host.
    if remote.contains("::") {
        return None;
    }
    let first_slash = remote.find('/').unwrap_or(remote.len());
    let after_user = remote[..first_slash].rfind('@').map_or(0, |at| at + 1);
    let rest = &remote[after_user..];
    let (host, path) = rest.split_once(':')?;
    if host.len() < 2 || host.contains('/') {
        return None;
    }
    build("https", host, false, path)
}

/// `scheme://host[:port]/path`, the host checked and lower-cased, the port
/// kept only when `keep_port`, the path percent-encoded and without a
/// final `/` or `.git`.
fn build(scheme: &str, host: &str, keep_port: bool, path: &str) -> Option<String> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inner, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (&host[..inner.len() + 2], port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let name_ok = match name.strip_prefix('[') {
        Some(v6) => {
            let inner = &v6[..v6.len() - 1];
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        }
        None => {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        }
    };
    if !name_ok || port.is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let path = path.trim_start_matches('/').trim_end_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    if path.is_empty() {
        return None;
    }
    let mut out = format!("{scheme}://{}", name.to_ascii_lowercase());
    if let Some(port) = port.filter(|p| keep_port && !p.is_empty()) {
        out.push(':');
        out.push_str(port);
    }
    out.push('/');
    encode_path(path, &mut out);
    Some(out)
}

/// Append `path` with every byte that may not stand in a URI path
/// percent-encoded (a `%` that already starts an escape is kept).
fn encode_path(path: &str, out: &mut String) {
    let bytes = path.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let escape = b == b'%'
            && matches!(bytes.get(i + 1..i + 3), Some([x, y])
                if x.is_ascii_hexdigit() && y.is_ascii_hexdigit());
        if escape || b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::repository_uri;

    #[test]
    fn credentials_are_stripped() {
        for (remote, uri) in [
            (
                "https://user:ghp_secret@github.com/runsheet/runsheet.git",
                "https://github.com/runsheet/runsheet",
            ),
            (
                "https://x-access-token:abc@GitHub.com/o/r",
                "https://github.com/o/r",
            ),
            (
                "https://token@example.com:8443/o/r/",
                "https://example.com:8443/o/r",
            ),
            (
                "http://a:b@host.example/r.git?private_token=x#y",
                "http://host.example/r",
            ),
            ("git://host.example/o/r.git", "git://host.example/o/r"),
            ("https://[::1]:3000/o/r", "https://[::1]:3000/o/r"),
        ] {
            assert_eq!(repository_uri(remote).as_deref(), Some(uri), "{remote}");
        }
    }

    #[test]
    fn ssh_remotes_become_https() {
        for (remote, uri) in [
            ("git@github.com:o/r.git", "https://github.com/o/r"),
            ("github.com:o/r", "https://github.com/o/r"),
            (
                "user:secret@gitlab.example:group/sub/r.git",
                "https://gitlab.example/group/sub/r",
            ),
            ("ssh://git@github.com/o/r.git", "https://github.com/o/r"),
            ("ssh://git@github.com:22/o/r.git", "https://github.com/o/r"),
            ("git+ssh://git@host.example/o/r", "https://host.example/o/r"),
            (
                "git@host.example:o/my repo.git\n",
                "https://host.example/o/my%20repo",
            ),
        ] {
            assert_eq!(repository_uri(remote).as_deref(), Some(uri), "{remote}");
        }
    }

    #[test]
    fn what_is_no_absolute_uri_is_left_out() {
        for remote in [
            "",
            "/srv/git/r.git",
            "../r",
            "file:///srv/git/r.git",
            "C:/repos/r",
            "C:\\repos\\r",
            "ext::ssh -i key host %S r",
            "https://github.com",
            "https://bad host/o/r",
            "git@:o/r",
            "https://host.example:x/o/r",
            "https://[::1/o/r",
        ] {
            assert_eq!(repository_uri(remote), None, "{remote}");
        }
    }
}
