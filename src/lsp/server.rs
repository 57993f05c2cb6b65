//! The protocol loop: the handshake, then each message in turn.
//!
//! Changes to open documents are applied as they come; the check runs once
//! the queue is empty, or before a request is answered, on the latest text
//! of every changed document. A flood of changes is so one check, and no
//! result is computed for a text that has been replaced (stale results are
//! never made, rather than made and dropped). Diagnostics carry the
//! version of the document they were computed for.

use super::documents::{Encoding, MAX_CHECKED};
use super::transport::Note;
use super::workspace::Workspace;
use super::{actions, completion, diagnostics, hover, navigation, symbols};
use crate::book::LoadOptions;
use crate::check::Incremental;
use crate::check::session::SessionError;
use crossbeam_channel::{Receiver, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileChangeType, InitializeParams,
    MessageType, OneOf, PositionEncodingKind, RenameOptions, SaveOptions, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, notification, request,
};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The most files changed outside the editor that are read one by one.
const MAX_WATCHED: usize = 32;

/// Why the server stopped before the client said `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the language client broke the protocol")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("the editor closed the connection before the server was initialized")]
    Closed,
    #[error("cannot start the server's threads")]
    Threads(#[from] std::io::Error),
}

/// A protocol error, or the connection closed.
fn protocol(e: lsp_server::ProtocolError) -> ServeError {
    if e.channel_is_disconnected() {
        ServeError::Closed
    } else {
        ServeError::Protocol(e)
    }
}

/// The server's state between messages.
struct Server {
    conn: Connection,
    notes: Receiver<Note>,
    ws: Workspace,
    /// The folder the book is looked for in.
    folder: PathBuf,
    /// Open documents changed since they were last checked, by URI.
    dirty: BTreeSet<String>,
    /// Files last published with diagnostics in them.
    published: BTreeSet<String>,
    /// The book must be read again (settings, SUMMARY, files added).
    reload: bool,
    /// The environment files changed on disk.
    environments: bool,
    /// Files found not to be in the book, read again for once.
    unknown: BTreeSet<String>,
    /// Documents said to be too large to check as typed.
    too_large: BTreeSet<String>,
    /// Whether the client shows progress the server starts.
    progress: bool,
    /// Whether the client registers file watchers the server asks for.
    watch: bool,
    next_id: i32,
    shut_down: bool,
}

/// Serve one client over `conn` until it says `exit` (or goes away).
pub fn serve(conn: Connection, notes: Receiver<Note>) -> Result<(), ServeError> {
    let (id, params) = conn.initialize_start().map_err(protocol)?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = if params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8))
    {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let folder = folder_of(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo {
            name: "runsheet".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        },
    });
    conn.initialize_finish(id, result).map_err(protocol)?;
    let mut server = Server {
        conn,
        notes,
        ws: Workspace::new(encoding),
        folder,
        dirty: BTreeSet::new(),
        published: BTreeSet::new(),
        reload: false,
        environments: false,
        unknown: BTreeSet::new(),
        too_large: BTreeSet::new(),
        progress: params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        watch: params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false),
        next_id: 0,
        shut_down: false,
    };
    server.watch_files();
    server.load();
    server.run();
    Ok(())
}

/// The folder a client's workspace is in: its first workspace folder, else
/// its root, else the current folder.
fn folder_of(params: &InitializeParams) -> PathBuf {
    #[allow(deprecated, reason = "older clients name only a root")]
    let root_uri = params.root_uri.as_ref();
    params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(root_uri)
        .and_then(|u| super::uri::to_path(u.as_str()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What the server does.
fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["(".into(), "#".into(), "/".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

impl Server {
    fn run(&mut self) {
        loop {
            let message = select! {
                recv(self.conn.receiver) -> m => match m {
                    Ok(m) => m,
                    Err(_) => return,
                },
                recv(self.notes) -> n => {
                    if let Ok(note) = n {
                        self.note(&note);
                    }
                    continue;
                }
            };
            if self.handle(message) {
                return;
            }
            // Everything queued behind it first: one check for them all.
            while let Ok(message) = self.conn.receiver.try_recv() {
                if self.handle(message) {
                    return;
                }
            }
            self.settle();
        }
    }

    /// Handle one message; true on `exit`.
    fn handle(&mut self, message: Message) -> bool {
        match message {
            Message::Request(req) => {
                if self.shut_down {
                    self.reply_error(req.id, ErrorCode::InvalidRequest, "the server is shut down");
                    return false;
                }
                if req.method == request::Shutdown::METHOD {
                    self.shut_down = true;
                    self.send(Response::new_ok(req.id, ()));
                    return false;
                }
                // A request sees the findings of every change before it.
                self.settle();
                let id = req.id.clone();
                let answer =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(req)));
                match answer {
                    Ok(response) => self.send(response),
                    Err(_) => self.reply_error(
                        id,
                        ErrorCode::InternalError,
                        "runsheet failed on this request",
                    ),
                }
                false
            }
            Message::Notification(n) => {
                if n.method == notification::Exit::METHOD {
                    return true;
                }
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.notified(n);
                }));
                false
            }
            // Answers to the server's own requests (progress, watchers).
            Message::Response(_) => false,
        }
    }

    /// The answer to a request.
    fn answer(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        macro_rules! on {
            ($kind:ty, $f:expr) => {{
                match serde_json::from_value::<<$kind as request::Request>::Params>(req.params) {
                    Ok(params) => {
                        let result: <$kind as request::Request>::Result = $f(&mut self.ws, params);
                        Response::new_ok(id, result)
                    }
                    Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
                }
            }};
        }
        match req.method.as_str() {
            request::CodeActionRequest::METHOD => {
                on!(request::CodeActionRequest, |ws: &mut Workspace, p| Some(
                    actions::code_actions(ws, &p)
                ))
            }
            request::HoverRequest::METHOD => on!(request::HoverRequest, hover::hover),
            request::GotoDefinition::METHOD => on!(request::GotoDefinition, navigation::definition),
            request::References::METHOD => on!(request::References, navigation::references),
            request::PrepareRenameRequest::METHOD => {
                on!(request::PrepareRenameRequest, navigation::prepare_rename)
            }
            request::Rename::METHOD => {
                match serde_json::from_value::<lsp_types::RenameParams>(req.params) {
                    Ok(params) => match navigation::rename(&mut self.ws, params) {
                        Ok(edit) => Response::new_ok(id, edit),
                        Err(message) => {
                            Response::new_err(id, ErrorCode::RequestFailed as i32, message)
                        }
                    },
                    Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
                }
            }
            request::Completion::METHOD => on!(request::Completion, completion::completion),
            request::DocumentSymbolRequest::METHOD => {
                on!(request::DocumentSymbolRequest, symbols::document_symbols)
            }
            _ => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("runsheet does not answer `{}`", req.method),
            ),
        }
    }

    /// A notification from the client.
    fn notified(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri.as_str();
                    self.ws
                        .docs
                        .open(uri, p.text_document.text, p.text_document.version);
                    self.dirty.insert(uri.to_string());
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri.as_str();
                    let encoding = self.ws.encoding;
                    if let Some(doc) = self.ws.docs.get_mut(uri) {
                        doc.change(p.text_document.version, p.content_changes, encoding);
                        self.dirty.insert(uri.to_string());
                    }
                }
            }
            notification::DidSaveTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) {
                    self.saved(p.text_document.uri.as_str());
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri.as_str();
                    self.ws.docs.close(uri);
                    self.dirty.remove(uri);
                    // What is saved is what the book holds again.
                    if let Some(file) = self.ws.file_of(uri)
                        && let Some(book) = self.ws.book.as_mut()
                        && let Ok(text) = std::fs::read(book.book().src_dir.join(&file))
                        && text.len() <= MAX_CHECKED
                        && let Some(up) = book.update(&file, &String::from_utf8_lossy(&text))
                    {
                        let mut files = up.changed;
                        files.push(file);
                        self.publish(files);
                    }
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) {
                    // Many files at once (a branch checked out): reading
                    // the book again is quicker than each on its own.
                    if p.changes.len() > MAX_WATCHED {
                        self.reload = true;
                        return;
                    }
                    for change in p.changes {
                        let uri = change.uri.as_str();
                        if change.typ == FileChangeType::CHANGED {
                            self.saved(uri);
                        } else {
                            self.reload = true;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A file was written: an open chapter is already checked as typed;
    /// an environment file, or another chapter changed outside the editor,
    /// is read again; anything else (settings, SUMMARY.md, a new file)
    /// means reading the book again.
    fn saved(&mut self, uri: &str) {
        let Some(file) = self.ws.file_of(uri) else {
            return;
        };
        if self.ws.is_environment_file(&file) {
            self.environments = true;
            return;
        }
        let Some(book) = self.ws.book.as_ref() else {
            self.reload = true;
            return;
        };
        if book.chapter(&file).is_none() {
            if self
                .ws
                .path_of(&file)
                .is_some_and(|p| p.starts_with(self.ws.root()))
            {
                self.reload = true;
            }
            return;
        }
        match self.ws.docs.get(uri) {
            // Too large to check as typed: checked as saved.
            Some(doc) if !doc.checked() => {
                if let Some(book) = self.ws.book.as_mut()
                    && let Ok(text) = std::fs::read(book.book().src_dir.join(&file))
                    && let Some(up) = book.update(&file, &String::from_utf8_lossy(&text))
                {
                    let mut files = up.changed;
                    files.push(file);
                    self.publish(files);
                }
            }
            Some(_) => {}
            None => {
                if let Some(book) = self.ws.book.as_mut()
                    && let Ok(text) = std::fs::read(book.book().src_dir.join(&file))
                    && text.len() <= MAX_CHECKED
                    && let Some(up) = book.update(&file, &String::from_utf8_lossy(&text))
                {
                    self.publish(up.changed);
                }
            }
        }
    }

    /// Check what changed, and publish what that changed.
    fn settle(&mut self) {
        if self.reload {
            self.reload = false;
            self.dirty.clear();
            self.load();
            return;
        }
        let mut changed: BTreeSet<String> = BTreeSet::new();
        if std::mem::take(&mut self.environments)
            && let Some(book) = self.ws.book.as_mut()
        {
            changed.extend(book.environments_changed());
        }
        for uri in std::mem::take(&mut self.dirty) {
            let Some(file) = self.ws.file_of(&uri) else {
                continue;
            };
            let Some(doc) = self.ws.docs.get(&uri) else {
                continue;
            };
            if !doc.checked() {
                if self.too_large.insert(uri.clone()) {
                    self.show(
                        MessageType::WARNING,
                        format!(
                            "runsheet checks a document of up to {} MB as it is typed; {file} is larger, and is checked when saved",
                            MAX_CHECKED >> 20
                        ),
                    );
                }
                continue;
            }
            let Some(book) = self.ws.book.as_mut() else {
                continue;
            };
            match book.update(&file, &doc.text.text) {
                Some(up) => {
                    changed.extend(up.changed);
                    // Always: the diagnostics carry the document's version.
                    changed.insert(file);
                }
                None => {
                    // A Markdown file the book did not have when it was
                    // read (created since): read the book again, once.
                    let new = !book.files().contains(&file)
                        && crate::book::is_markdown(&file)
                        && !file.starts_with("../")
                        && self.ws.path_of(&file).is_some_and(|p| p.is_file());
                    if new && self.unknown.insert(file) {
                        self.reload = true;
                    }
                }
            }
        }
        self.publish(changed);
        if self.reload {
            self.settle();
        }
    }

    /// Read the book (again): its settings, files and chapters, with the
    /// open documents' texts over the files'; publish every file's
    /// findings and clear those that have none now.
    fn load(&mut self) {
        let token = self.progress_begin("Reading the book");
        let opened = match Incremental::open(&self.folder, &LoadOptions::default(), true) {
            Err(e @ (SessionError::NoBaseline { .. } | SessionError::Baseline(_))) => {
                self.show(
                    MessageType::WARNING,
                    format!("{e}; runsheet shows every finding"),
                );
                Incremental::open(&self.folder, &LoadOptions::default(), false)
            }
            other => other,
        };
        let book = match opened {
            Ok(book) => book,
            Err(e) => {
                self.progress_end(token, "not read");
                self.show(
                    MessageType::ERROR,
                    format!("runsheet cannot check {}: {e}", self.folder.display()),
                );
                self.ws.book = None;
                let old = std::mem::take(&mut self.published);
                self.publish(old);
                return;
            }
        };
        self.ws.set_book(book);
        for uri in self.ws.docs.uris() {
            let (Some(file), Some(doc)) = (self.ws.file_of(&uri), self.ws.docs.get(&uri)) else {
                continue;
            };
            if doc.checked()
                && let Some(book) = self.ws.book.as_mut()
            {
                book.update(&file, &doc.text.text);
            }
        }
        let mut files: BTreeSet<String> = std::mem::take(&mut self.published);
        if let Some(book) = &self.ws.book {
            files.extend(book.files_with_findings());
        }
        for uri in self.ws.docs.uris() {
            files.extend(self.ws.file_of(&uri));
        }
        let count = files.len();
        self.publish(files);
        self.progress_end(token, &format!("{count} files with findings"));
    }

    /// Send the diagnostics of `files`.
    fn publish(&mut self, files: impl IntoIterator<Item = String>) {
        for file in files {
            let params = match diagnostics::of_file(&self.ws, &file) {
                Some(p) => p,
                // No book: clear what was shown.
                None => match self.ws.uri_of(&file).and_then(|u| u.parse().ok()) {
                    Some(uri) => lsp_types::PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    },
                    None => continue,
                },
            };
            if params.diagnostics.is_empty() {
                self.published.remove(&file);
            } else {
                self.published.insert(file);
            }
            self.notify::<notification::PublishDiagnostics>(params);
        }
    }

    /// Ask the client to tell the server of files changed outside it
    /// (settings, environments, chapters).
    fn watch_files(&mut self) {
        if !self.watch {
            return;
        }
        let watchers: Vec<lsp_types::FileSystemWatcher> = ["**/*.{md,markdown,yml,yaml,toml,json}"]
            .iter()
            .map(|glob| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String((*glob).into()),
                kind: None,
            })
            .collect();
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "runsheet-files".into(),
                method: notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.request::<request::RegisterCapability>(params);
    }

    /// Start a progress the client shows, if it can.
    fn progress_begin(&mut self, title: &str) -> Option<lsp_types::NumberOrString> {
        if !self.progress {
            return None;
        }
        let token = lsp_types::NumberOrString::String("runsheet/read".into());
        self.request::<request::WorkDoneProgressCreate>(lsp_types::WorkDoneProgressCreateParams {
            token: token.clone(),
        });
        self.notify::<notification::Progress>(lsp_types::ProgressParams {
            token: token.clone(),
            value: lsp_types::ProgressParamsValue::WorkDone(lsp_types::WorkDoneProgress::Begin(
                lsp_types::WorkDoneProgressBegin {
                    title: title.into(),
                    ..Default::default()
                },
            )),
        });
        Some(token)
    }

    fn progress_end(&mut self, token: Option<lsp_types::NumberOrString>, message: &str) {
        if let Some(token) = token {
            self.notify::<notification::Progress>(lsp_types::ProgressParams {
                token,
                value: lsp_types::ProgressParamsValue::WorkDone(lsp_types::WorkDoneProgress::End(
                    lsp_types::WorkDoneProgressEnd {
                        message: Some(message.into()),
                    },
                )),
            });
        }
    }

    /// What the transport could not pass on.
    fn note(&mut self, note: &Note) {
        let message = match note {
            Note::TooLong(n) => format!(
                "runsheet skipped a message of {} MB from the editor: it reads messages of up to {} MB",
                n >> 20,
                super::transport::MAX_MESSAGE >> 20
            ),
            Note::Unreadable(e) => format!("runsheet skipped a message that is not JSON-RPC: {e}"),
        };
        self.show(MessageType::WARNING, message);
    }

    /// Show `message` in the editor; what it quotes from files is shown,
    /// not acted on (an editor may write it to its log as it is).
    fn show(&mut self, typ: MessageType, message: String) {
        let message = crate::text::escape::shown_message(&message);
        self.notify::<notification::ShowMessage>(ShowMessageParams { typ, message });
    }

    fn notify<N: lsp_types::notification::Notification>(&mut self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    fn request<R: lsp_types::request::Request>(&mut self, params: R::Params) {
        self.next_id += 1;
        let id = RequestId::from(format!("runsheet-{}", self.next_id));
        self.send(Request::new(id, R::METHOD.to_string(), params));
    }

    fn reply_error(&mut self, id: RequestId, code: ErrorCode, message: &str) {
        self.send(Response::new_err(id, code as i32, message.to_string()));
    }

    fn send(&mut self, message: impl Into<Message>) {
        // The client gone: the loop ends on the closed receiver.
        let _ = self.conn.sender.send(message.into());
    }
}
