//! `runsheet lsp` driven by a scripted client over its stdin and stdout:
//! the protocol's framing and JSON-RPC, as an editor speaks them, on a copy
//! of our book. The waits are bounded only so a broken server fails the
//! test instead of hanging it; nothing is timed.

use super::common::copy_dir;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};

/// How long the client waits for a message before it calls the server
/// broken.
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// A language client speaking to one `runsheet lsp`.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for another.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Start the server and do the handshake for the workspace `root`.
    fn start(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("runsheet"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(": ").expect("a header");
                    assert_eq!(name, "Content-Length", "{line}");
                    length = value.parse().unwrap();
                }
                let mut body = vec![0; length];
                out.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut client = Client {
            child,
            stdin,
            incoming,
            backlog: Vec::new(),
            next_id: 0,
        };
        let result = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": capabilities,
            }),
        );
        assert_eq!(result["serverInfo"]["name"], "runsheet");
        client.notify("initialized", json!({}));
        client
    }

    fn write(&mut self, message: &Value) {
        let body = message.to_string();
        self.write_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its result (an error fails the test).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let answer = self.call(method, params);
        assert!(answer.get("error").is_none(), "{method}: {answer}");
        answer["result"].clone()
    }

    /// Send a request and wait for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let answer = self.wait(|m| m["id"] == id && m.get("method").is_none());
        assert_eq!(answer["jsonrpc"], "2.0", "{answer}");
        answer
    }

    /// The first message (kept or to come) that `wanted` takes.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        loop {
            let message = self
                .incoming
                .recv_timeout(PATIENCE)
                .expect("the server stopped answering");
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `uri` that `wanted` takes.
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let uri = uri.to_string();
        self.wait(move |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && wanted(&m["params"])
        })["params"]
            .clone()
    }

    /// Shut the server down as an editor does; its exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        self.child.wait().unwrap()
    }
}

fn uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap();
    format!(
        "file://{}",
        path.to_string_lossy()
            .replace('%', "%25")
            .replace(' ', "%20")
    )
}

/// A copy of our book (book.toml, variables.yaml, docs, environments).
fn our_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["book.toml", "variables.yaml"] {
        std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
    }
    for d in ["docs", "environments", "templates"] {
        copy_dir(&repo.join(d), &dir.path().join(d));
    }
    dir
}

fn doc(root: &Path, file: &str) -> (PathBuf, String, String) {
    let path = root.join("docs").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    (path.clone(), uri(&path), text)
}

/// The 0-based line and UTF-16 character of `needle` in `text` (plus
/// `after` characters).
fn position(text: &str, needle: &str, after: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character = text[start..at].encode_utf16().count() + after;
    json!({"line": line, "character": character})
}

/// Apply a text edit's range (UTF-16 positions) to `text`.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let (a, b) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..a],
        edit["newText"].as_str().unwrap(),
        &text[b..]
    )
}

fn open(client: &mut Client, uri: &str, text: &str, version: i64) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
    );
}

fn change_all(client: &mut Client, uri: &str, text: &str, version: i64) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn a_broken_link_is_found_as_typed_and_its_quick_fix_clears_it() {
    let book = our_book();
    let mut client = Client::start(book.path(), json!({}));
    let (_, a_uri, text) = doc(book.path(), "installing-ADMA.md");
    open(&mut client, &a_uri, &text, 1);
    let clean = client.diagnostics(&a_uri, |p| p["version"] == 1);
    assert_eq!(clean["diagnostics"], json!([]), "{clean}");

    let broken = text.replace("(preparedomain.md)", "(preparedomian.md)");
    change_all(&mut client, &a_uri, &broken, 2);
    let found = client.diagnostics(&a_uri, |p| p["version"] == 2);
    let d = &found["diagnostics"][0];
    assert_eq!(found["diagnostics"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(d["code"], "broken-link");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "runsheet");
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/runsheet/runsheet/blob/main/docs/runsheet-rules.md#broken-link"
    );
    assert_eq!(
        d["message"],
        "link target `preparedomian.md` does not exist\ndid you mean `preparedomain.md`?"
    );
    assert_eq!(
        d["range"]["start"],
        position(&broken, "[Prepare the Active", 0)
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": a_uri},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        }),
    );
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["title"], "Change to `preparedomain.md`");
    let edits = &fix["edit"]["changes"][&a_uri];
    assert_eq!(edits.as_array().unwrap().len(), 1);
    let fixed = apply(&broken, &edits[0]);
    assert_eq!(fixed, text);

    change_all(&mut client, &a_uri, &fixed, 3);
    let cleared = client.diagnostics(&a_uri, |p| p["version"] == 3);
    assert_eq!(cleared["diagnostics"], json!([]));
    assert!(client.stop().success());
}

#[test]
fn a_placeholder_shows_its_value_in_each_environment() {
    let book = our_book();
    let mut client = Client::start(book.path(), json!({}));
    let (_, a_uri, text) = doc(book.path(), "installing-ADMA.md");
    open(&mut client, &a_uri, &text, 1);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": a_uri}, "position": position(&text, "{{ ad.domain }}", 4)}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with(
            "`{{ ad.domain }}` — The DNS name of the Active Directory domain the guests are created in."
        ),
        "{shown}"
    );
    assert!(
        shown.contains("| lab | `contoso.local` | environments/lab.yaml:"),
        "{shown}"
    );
    assert!(
        shown.contains("| prod | `corp.fabrikam.com` | environments/prod.yaml:8 |"),
        "{shown}"
    );
    // A secret has no value to show.
    let (_, g_uri, graph) = doc(book.path(), "installing-GraphAPIMA.md");
    open(&mut client, &g_uri, &graph, 1);
    let secret = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": g_uri}, "position": position(&graph, "{{ aad.client_secret }}", 4)}),
    );
    let shown = secret["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("| lab | ‹secret› | asked for when the runbook is worked through |"),
        "{shown}"
    );
    // A placeholder's definition: its declaration and the files that set it.
    let places = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": a_uri}, "position": position(&text, "{{ ad.domain }}", 4)}),
    );
    let files: Vec<String> = places
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let uri = l["uri"].as_str().unwrap();
            uri[uri.rfind('/').unwrap() + 1..].to_string()
        })
        .collect();
    assert!(files.contains(&"variables.yaml".to_string()), "{files:?}");
    assert!(files.contains(&"prod.yaml".to_string()), "{files:?}");
    assert!(files.contains(&"lab.yaml".to_string()), "{files:?}");

    // Renamed, it is renamed where chapters write it, where it is
    // declared and derived from, and where each environment sets it.
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": a_uri}, "position": position(&text, "{{ ad.domain }}", 4), "newName": "ad.dns_domain"}),
    );
    let root = book.path().canonicalize().unwrap();
    let edited = |file: &str| {
        let path = root.join(file);
        let before = std::fs::read_to_string(&path).unwrap();
        let mut edits: Vec<Value> = edit["changes"][uri(&path)]
            .as_array()
            .unwrap_or_else(|| panic!("no edit of {file}: {edit}"))
            .clone();
        // From the end, so earlier positions hold.
        edits.reverse();
        edits.iter().fold(before, |text, e| apply(&text, e))
    };
    assert!(edited("docs/installing-ADMA.md").contains("connects to `{{ ad.dns_domain }}`"));
    let variables = edited("variables.yaml");
    assert!(variables.contains("\nad.dns_domain:\n"), "{variables}");
    assert!(
        variables.contains("{{ ad.dns_domain | dn }}"),
        "{variables}"
    );
    assert!(!variables.contains("ad.domain"), "{variables}");
    for env in ["lab", "prod", "test"] {
        let text = edited(&format!("environments/{env}.yaml"));
        assert!(text.contains("    dns_domain: "), "{text}");
        assert!(!text.contains("    domain: "), "{text}");
    }
    // Only the last part of a key is renamed: the file's structure stays.
    let refused = client.call(
        "textDocument/rename",
        json!({"textDocument": {"uri": a_uri}, "position": position(&text, "{{ ad.domain }}", 4), "newName": "dns.domain"}),
    );
    assert_eq!(refused["error"]["code"], -32803, "{refused}");
    assert!(client.stop().success());
}

#[test]
fn completion_after_a_links_parenthesis_offers_our_chapters() {
    let book = our_book();
    let mut client = Client::start(book.path(), json!({}));
    let (_, a_uri, text) = doc(book.path(), "installing-ADMA.md");
    open(&mut client, &a_uri, &text, 1);
    let typed = format!("{text}\nSee [the portal](inst");
    change_all(&mut client, &a_uri, &typed, 2);
    let end = typed.lines().count() - 1;
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": a_uri}, "position": {"line": end, "character": 21}}),
    );
    let labels: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for chapter in [
        "Install-SQL-server.md",
        "install-mim-portal.md",
        "install-mim-sync-service.md",
        "installing-ADMA.md",
        "installing-sharepoint-2016.md",
    ] {
        assert!(labels.contains(&chapter), "{chapter} not in {labels:?}");
    }
    assert!(!labels.contains(&"preparedomain.md"), "{labels:?}");
    // After `#`, the target's anchors.
    let typed = format!("{text}\nSee [the steps](extension-dll.md#reb");
    change_all(&mut client, &a_uri, &typed, 3);
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": a_uri}, "position": {"line": end, "character": 37}}),
    );
    assert_eq!(
        items["items"][0]["label"],
        "rebuild-the-extension-for-another-agent-name"
    );
    assert!(client.stop().success());
}

#[test]
fn renaming_a_heading_edits_the_links_to_it() {
    let book = our_book();
    let mut client = Client::start(book.path(), json!({}));
    let (_, e_uri, text) = doc(book.path(), "extension-dll.md");
    let (_, _, linking) = doc(book.path(), "installing-ADMA-dll-version.md");
    let (_, l_uri, _) = doc(book.path(), "installing-ADMA-dll-version.md");
    open(&mut client, &e_uri, &text, 1);
    let at = position(&text, "## Rebuild the extension", 5);
    let prepared = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": e_uri}, "position": at}),
    );
    assert_eq!(
        prepared["placeholder"],
        "Rebuild the extension for another agent name"
    );
    let refs = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": e_uri}, "position": at, "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().unwrap().len(), 1, "{refs}");
    assert_eq!(refs[0]["uri"], l_uri.as_str());
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": e_uri}, "position": at, "newName": "Rebuild for another agent"}),
    );
    let heading = &edit["changes"][&e_uri];
    assert_eq!(
        apply(&text, &heading[0])
            .lines()
            .find(|l| l.starts_with("## Rebuild")),
        Some("## Rebuild for another agent")
    );
    let links = &edit["changes"][&l_uri];
    assert_eq!(links.as_array().unwrap().len(), 1, "{edit}");
    let edited = apply(&linking, &links[0]);
    assert!(
        edited.contains("extension-dll.md#rebuild-for-another-agent)"),
        "{edited}"
    );
    assert!(client.stop().success());
}

#[test]
fn a_hostile_client_gets_answers_not_a_crash() {
    let book = our_book();
    let mut client = Client::start(book.path(), json!({}));
    let (_, a_uri, text) = doc(book.path(), "installing-ADMA.md");
    open(&mut client, &a_uri, &text, 1);
    client.diagnostics(&a_uri, |p| p["version"] == 1);

    // Positions out of every range, and a range that ends before it starts.
    for position in [
        json!({"line": 4_000_000_000u64, "character": 4_000_000_000u64}),
        json!({"line": 0, "character": 4_000_000_000u64}),
        json!({"line": 11, "character": 1}),
    ] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/prepareRename",
        ] {
            client.request(
                method,
                json!({"textDocument": {"uri": a_uri}, "position": position}),
            );
        }
    }
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a_uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 9, "character": 99}, "end": {"line": 2, "character": 0}}, "text": "é😀"},
            {"range": {"start": {"line": 999, "character": 0}, "end": {"line": 999, "character": 5}}, "text": "x"},
        ]}),
    );
    // A request about a document never opened, and a method it does not know.
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/x.md"}, "position": {"line": 0, "character": 0}}),
    );
    let unknown = client.call("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.call("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad["error"]["code"], -32602);

    // A message that is not JSON, and one longer than the server reads.
    client.write_raw(b"Content-Length: 9\r\n\r\nnot json!");
    client.wait(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("not JSON-RPC")
    });
    let huge = 65 << 20;
    client.write_raw(format!("Content-Length: {huge}\r\n\r\n").as_bytes());
    client.write_raw(&vec![b' '; huge]);
    client.wait(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("skipped a message of 65 MB")
    });

    // A document too large to check as typed is kept, said, and answered.
    let big = format!(
        "# Big\n\n{}",
        "A line of text with [a link](preparedomain.md).\n".repeat(200_000)
    );
    let (_, b_uri, _) = doc(book.path(), "preparedomain.md");
    open(&mut client, &b_uri, &big, 1);
    client.wait(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .unwrap()
                .contains("is checked when saved")
    });
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": b_uri}, "position": {"line": 5000, "character": 25}}),
    );

    // A flood of changes: the diagnostics come in version order, the last
    // for the last text.
    change_all(&mut client, &a_uri, &text, 3);
    for version in 4..1004 {
        let edit = json!({
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "text": if version % 2 == 0 { "x" } else { "\n" },
        });
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": a_uri, "version": version}, "contentChanges": [edit]}),
        );
    }
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": a_uri}}),
    );
    assert!(symbols.as_array().is_some_and(|s| !s.is_empty()));
    client.diagnostics(&a_uri, |p| p["version"] == 1003);
    let versions: Vec<i64> = client
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == a_uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    assert!(versions.iter().all(|&v| v < 1003), "{versions:?}");

    // Memory stayed bounded (Linux says how much the server held at most).
    let status = std::fs::read_to_string(format!("/proc/{}/status", client.child.id()));
    if let Ok(status) = status {
        let peak_kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        assert!(peak_kb < 1_000_000, "the server held {peak_kb} kB");
    }
    assert!(client.stop().success());
}

#[test]
fn an_environment_file_is_diagnosed_and_checked_again_when_saved() {
    let book = our_book();
    let prod = book.path().join("environments/prod.yaml");
    let good = std::fs::read_to_string(&prod).unwrap();
    let bad = good.replace("domain: corp.fabrikam.com", "domain: not a domain");
    assert_ne!(bad, good);
    std::fs::write(&prod, &bad).unwrap();
    let mut client = Client::start(book.path(), json!({}));
    let prod_uri = uri(&prod);
    let found = client.diagnostics(&prod_uri, |p| p["diagnostics"] != json!([]));
    let d = &found["diagnostics"][0];
    assert_eq!(d["code"], "invalid-variable-value", "{found}");
    assert_eq!(d["range"]["start"]["line"], 7, "{found}");

    open(&mut client, &prod_uri, &bad, 1);
    std::fs::write(&prod, &good).unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": prod_uri}}),
    );
    let cleared = client.diagnostics(&prod_uri, |p| p["diagnostics"] == json!([]));
    assert_eq!(cleared["diagnostics"], json!([]));
    assert!(client.stop().success());
}
