//! The protocol's framing over a byte stream: `Content-Length` headers,
//! then a JSON-RPC message; a reader and a writer thread joined to the
//! server by channels (an [`lsp_server::Connection`]).
//!
//! Written here rather than taken from `lsp_server::Connection::stdio`,
//! which allocates whatever length a header names and ends the connection
//! on the first message it cannot read: a client (or anything writing to
//! the server's input) could make it allocate terabytes. Here a header
//! line, the number of headers and a message's length are bounded; a
//! message longer than [`MAX_MESSAGE`] is read past without being kept,
//! and one that is not JSON-RPC is skipped; both are said to the server
//! as a [`Note`].

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};

/// The longest message read: a chapter of this size, sent whole with every
/// change, is still read (the longest the bad-input page measures is 50 MB).
pub const MAX_MESSAGE: usize = 64 << 20;
/// The longest header line.
const MAX_HEADER_LINE: usize = 1024;
/// The most header lines of one message.
const MAX_HEADERS: usize = 16;

/// What the reader could not pass on as a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A message longer than [`MAX_MESSAGE`], read past.
    TooLong(usize),
    /// A message that is not JSON-RPC, skipped.
    Unreadable(String),
}

/// What one read of the stream gave.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    Note(Note),
    /// The stream ended, or cannot be read any further.
    End,
}

/// Read one message from `input`.
pub fn read_frame(input: &mut impl BufRead) -> Frame {
    let mut length: Option<usize> = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        match input
            .by_ref()
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        if !line.ends_with(b"\n") {
            // A header line longer than any real one: the stream is not
            // this protocol.
            return Frame::End;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if length.is_some() {
                break;
            }
            // Blank lines before a message's headers are skipped.
            continue;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Frame::End;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => return Frame::End,
            }
        }
    }
    let length = length.unwrap_or(0);
    if length > MAX_MESSAGE {
        let skipped = std::io::copy(
            &mut input.by_ref().take(length as u64),
            &mut std::io::sink(),
        );
        return match skipped {
            Ok(n) if n == length as u64 => Frame::Note(Note::TooLong(length)),
            _ => Frame::End,
        };
    }
    let mut body = vec![0; length];
    if input.read_exact(&mut body).is_err() {
        return Frame::End;
    }
    match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Note(Note::Unreadable(e.to_string())),
    }
}

/// Write one message to `output`, framed, with its `"jsonrpc": "2.0"`.
pub fn write_message(output: &mut impl Write, message: &Message) -> std::io::Result<()> {
    message.write(output)
}

/// The threads of a connection over a byte stream.
pub struct Threads {
    reader: std::thread::JoinHandle<()>,
    writer: std::thread::JoinHandle<()>,
}

impl Threads {
    /// Wait for both threads to end (the writer once every message sent
    /// before the connection was dropped is written).
    pub fn join(self) {
        let _ = self.writer.join();
        // The reader ends with its input; a client that keeps it open
        // after `exit` is not waited for.
        drop(self.reader);
    }
}

/// A connection over `input` and `output` (stdin and stdout for a
/// server), and the receiver of the reader's notes.
pub fn connect<R, W>(input: R, output: W) -> std::io::Result<(Connection, Receiver<Note>, Threads)>
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    // A rendezvous channel: the reader waits until the server takes each
    // message, so no more than one message is held between them.
    let (to_server, from_reader) = bounded::<Message>(0);
    let (notes_in, notes) = bounded::<Note>(16);
    let (to_writer, from_server) = bounded::<Message>(16);
    let reader = std::thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_loop(input, &to_server, &notes_in))?;
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_loop(output, &from_server))?;
    Ok((
        Connection {
            sender: to_writer,
            receiver: from_reader,
        },
        notes,
        Threads { reader, writer },
    ))
}

fn read_loop(input: impl Read, to_server: &Sender<Message>, notes: &Sender<Note>) {
    let mut input = std::io::BufReader::with_capacity(64 << 10, input);
    loop {
        match read_frame(&mut input) {
            Frame::Message(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to_server.send(message).is_err() || exit {
                    return;
                }
            }
            Frame::Note(note) => {
                let _ = notes.try_send(note);
            }
            Frame::End => return,
        }
    }
}

fn write_loop(output: impl Write, from_server: &Receiver<Message>) {
    let mut output = std::io::BufWriter::new(output);
    for message in from_server {
        if write_message(&mut output, &message).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn a_framed_message_is_read() {
        let bytes = frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#);
        let Frame::Message(Message::Request(r)) = read_frame(&mut &bytes[..]) else {
            panic!("not a request");
        };
        assert_eq!(r.method, "shutdown");
    }

    #[test]
    fn a_message_is_written_framed_as_json_rpc_2() {
        let mut out = Vec::new();
        let message = Message::Response(lsp_server::Response::new_ok(1.into(), ()));
        write_message(&mut out, &message).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["jsonrpc"], "2.0");
        assert_eq!(value["id"], 1);
    }

    #[test]
    fn a_message_longer_than_the_bound_is_read_past_not_kept() {
        let mut bytes = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1).into_bytes();
        bytes.resize(bytes.len() + MAX_MESSAGE + 1, b' ');
        bytes.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let mut input = &bytes[..];
        assert!(matches!(
            read_frame(&mut input),
            Frame::Note(Note::TooLong(n)) if n == MAX_MESSAGE + 1
        ));
        assert!(matches!(read_frame(&mut input), Frame::Message(_)));
    }

    #[test]
    fn a_length_beyond_the_stream_or_a_huge_one_ends_it_without_allocating() {
        let bytes = b"Content-Length: 99999999999999999999\r\n\r\n{}".to_vec();
        assert!(matches!(read_frame(&mut &bytes[..]), Frame::End));
        let bytes = b"Content-Length: 10000000000\r\n\r\n{}".to_vec();
        assert!(matches!(read_frame(&mut &bytes[..]), Frame::End));
        let bytes = b"Content-Length: 10\r\n\r\n{}".to_vec();
        assert!(matches!(read_frame(&mut &bytes[..]), Frame::End));
    }

    #[test]
    fn garbage_is_skipped_and_endless_headers_end_the_stream() {
        let mut bytes = frame("not json");
        bytes.extend(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let mut input = &bytes[..];
        assert!(matches!(
            read_frame(&mut input),
            Frame::Note(Note::Unreadable(_))
        ));
        assert!(matches!(read_frame(&mut input), Frame::Message(_)));
        let endless = "X: y\r\n".repeat(100);
        assert!(matches!(read_frame(&mut endless.as_bytes()), Frame::End));
        let long = "X".repeat(5000);
        assert!(matches!(read_frame(&mut long.as_bytes()), Frame::End));
    }
}
