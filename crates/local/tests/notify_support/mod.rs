//! Test servers for the notifier: a minimal SMTP sink and a one-route HTTP server
//! standing in for an SMS gateway, both on 127.0.0.1 with port 0, recording what
//! they receive. Real protocol exchanges, so lettre and reqwest run unmodified.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the SMTP sink accepted.
#[derive(Debug, Clone, Default)]
pub struct Mail {
    /// `RCPT TO` arguments.
    pub rcpt: Vec<String>,
    /// The DATA section, dot-unstuffed.
    pub data: String,
}

/// A running SMTP sink.
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

/// Starts an SMTP sink; `rcpt_reply` replaces the `250` answer to `RCPT TO` (use
/// `{rcpt}` to echo the recipient, as real relays do in their refusals).
pub async fn smtp_sink(rcpt_reply: Option<&'static str>) -> SmtpSink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let store = mails.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                let mut mail = Mail::default();
                write.write_all(b"220 sink ESMTP test\r\n").await.unwrap();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: String = if upper.starts_with("EHLO") {
                        "250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".into()
                    } else if upper.starts_with("RCPT TO:") {
                        let rcpt = line[8..].trim().to_owned();
                        match rcpt_reply {
                            Some(r) => format!("{}\r\n", r.replace("{rcpt}", &rcpt)),
                            None => {
                                mail.rcpt.push(rcpt);
                                "250 ok\r\n".into()
                            }
                        }
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(line.strip_prefix('.').unwrap_or(&line));
                        }
                        mail.data = data;
                        store.lock().unwrap().push(std::mem::take(&mut mail));
                        "250 queued\r\n".into()
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        "250 ok\r\n".into()
                    };
                    if write.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    SmtpSink { addr, mails }
}

/// A running one-route HTTP server.
pub struct HttpSink {
    pub addr: SocketAddr,
    pub bodies: Arc<Mutex<Vec<String>>>,
}

/// Starts an HTTP server that answers every request with `status` and records bodies.
pub async fn http_sink(status: u16) -> HttpSink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let store = bodies.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(socket);
                let mut length = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0u8; length];
                reader.read_exact(&mut body).await.unwrap();
                store.lock().unwrap().push(String::from_utf8(body).unwrap());
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = reader.get_mut().write_all(answer.as_bytes()).await;
            });
        }
    });
    HttpSink { addr, bodies }
}

/// Every file under `dir` (recursively) whose bytes contain `needle`, case-insensitively.
pub fn files_containing(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap().to_ascii_lowercase();
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(path.display().to_string());
                }
            }
        }
    }
    hits
}
