//! A minimal webhook receiver for `bench/webhooks.sh`: answers every request 204 and, once it has
//! received `EXPECTED` requests, prints how long they took from the first one and exits.
//!
//!   cargo run --release --example webhook_receiver -- PORT EXPECTED

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use actix_web::{App, HttpResponse, HttpServer, web};

struct Counter {
    expected: usize,
    received: AtomicUsize,
    first: OnceLock<Instant>,
}

async fn receive(counter: web::Data<Arc<Counter>>, _body: web::Bytes) -> HttpResponse {
    let first = *counter.first.get_or_init(Instant::now);
    let n = counter.received.fetch_add(1, Ordering::SeqCst) + 1;
    if n == counter.expected {
        let seconds = first.elapsed().as_secs_f64();
        println!(
            "{n} deliveries in {seconds:.2} s: {:.0} per second",
            (n - 1) as f64 / seconds
        );
        std::process::exit(0);
    }
    HttpResponse::NoContent().finish()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args[1].parse().expect("a port");
    let counter = Arc::new(Counter {
        expected: args[2].parse().expect("how many requests to expect"),
        received: AtomicUsize::new(0),
        first: OnceLock::new(),
    });
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(counter.clone()))
            .default_service(web::to(receive))
    })
    .workers(1)
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
