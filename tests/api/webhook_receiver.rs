//! A real HTTP receiver for webhook tests, on a random local port: it records every request and
//! answers as scripted. And a signature verifier written apart from the service's (ring's HMAC),
//! following the Standard Webhooks specification.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use tokio::sync::mpsc;

/// How the receiver answers one request.
#[derive(Clone, Copy, Debug)]
pub enum Reply {
    Status(u16),
    /// Never answers: the sender's timeout must end the attempt.
    Hang,
}

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    /// Whether `secret` verifies this request's signature.
    pub fn verifies_with(&self, secret: &str) -> bool {
        verify(
            secret,
            self.header("webhook-id"),
            self.header("webhook-timestamp"),
            &self.body,
            self.header("webhook-signature"),
        )
    }
}

pub struct Receiver {
    /// The receiver's base URL, e.g. `http://127.0.0.1:12345`.
    pub url: String,
    requests: mpsc::UnboundedReceiver<Received>,
    script: Arc<Mutex<VecDeque<Reply>>>,
}

struct Shared {
    requests: mpsc::UnboundedSender<Received>,
    script: Arc<Mutex<VecDeque<Reply>>>,
}

/// Starts a receiver that answers 200 once its script is used up.
pub async fn start(script: &[Reply]) -> Receiver {
    let (sender, requests) = mpsc::unbounded_channel();
    let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
    let shared = web::Data::new(Shared {
        requests: sender,
        script: script.clone(),
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .default_service(web::to(receive))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    Receiver {
        url: format!("http://127.0.0.1:{port}"),
        requests,
        script,
    }
}

async fn receive(
    request: HttpRequest,
    body: web::Bytes,
    shared: web::Data<Shared>,
) -> HttpResponse {
    let headers = request
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let reply = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(Reply::Status(200));
    let _ = shared.requests.send(Received {
        headers,
        body: body.to_vec(),
    });
    match reply {
        Reply::Status(status) => {
            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
        }
        Reply::Hang => std::future::pending().await,
    }
}

impl Receiver {
    /// The next request; fails the test when none comes within ten seconds.
    pub async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(10), self.requests.recv())
            .await
            .expect("a webhook request within ten seconds")
            .unwrap()
    }

    /// Every request received so far, without waiting.
    pub fn drain(&mut self) -> Vec<Received> {
        let mut received = Vec::new();
        while let Ok(request) = self.requests.try_recv() {
            received.push(request);
        }
        received
    }

    /// Appends replies to the script.
    pub fn then(&self, replies: &[Reply]) {
        self.script.lock().unwrap().extend(replies.iter().copied());
    }
}

/// Standard Webhooks verification, independent of the service's signing code.
pub fn verify(secret: &str, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Some(key) = secret
        .strip_prefix("whsec_")
        .and_then(|k| STANDARD.decode(k).ok())
    else {
        return false;
    };
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key);
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    let expected = STANDARD.encode(ring::hmac::sign(&key, &signed).as_ref());
    header
        .split(' ')
        .filter_map(|part| part.strip_prefix("v1,"))
        .any(|signature| signature == expected)
}
