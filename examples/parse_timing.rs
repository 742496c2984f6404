//! Times the fast reader of the canonical layout against the full YAML
//! parser on the files of a customer folder, one thread, files in memory:
//!
//! ```text
//! cargo run --release --example gen -- /tmp/kith-25k 25000
//! cargo run --release --example parse_timing -- /tmp/kith-25k
//! ```
//!
//! It first checks that the fast reader gives the full parser's record for
//! every file it reads, and says how many it leaves to the full parser.
//! Then it times the emitter writing every record back, and the binary
//! codec (the cache's form) encoding and decoding them.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use kith::config::Config;
use kith::record::{Schema, binary, emit_record, fast, parse_record_full};

/// Every customer file under `dir` as (stem, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "yaml") && e.file_name() != "kith.yaml"
        })
        .filter_map(|e| {
            let stem = e.path().file_stem()?.to_str()?.to_string();
            Some((stem, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect()
}

/// One pass of `parse` over every text.
fn pass(texts: &[(String, String)], parse: &impl Fn(&str, &str)) -> Duration {
    let start = Instant::now();
    for (stem, text) in texts {
        parse(black_box(stem), black_box(text));
    }
    start.elapsed()
}

/// The best of `rounds` passes of each parser, taken in turns so that load
/// from other processes weighs on both alike.
fn race(
    texts: &[(String, String)],
    rounds: usize,
    a: impl Fn(&str, &str),
    b: impl Fn(&str, &str),
) -> (Duration, Duration) {
    (0..rounds).fold((Duration::MAX, Duration::MAX), |(best_a, best_b), _| {
        (best_a.min(pass(texts, &a)), best_b.min(pass(texts, &b)))
    })
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_timing DIR (a folder written by the gen example)");
        std::process::exit(2);
    };
    let dir = Path::new(&dir);
    let schema: Schema = std::fs::read(dir.join("kith.yaml"))
        .ok()
        .and_then(|bytes| Config::parse(&bytes).ok())
        .map(|c| c.schema())
        .unwrap_or_default();
    let texts = files(dir);
    let mut read_fast = 0;
    for (stem, text) in &texts {
        if let Some(record) = fast::parse(text, stem, &schema) {
            assert_eq!(
                Some(&record),
                parse_record_full(text.as_bytes(), stem, &schema)
                    .as_ref()
                    .ok(),
                "{stem}"
            );
            read_fast += 1;
        }
    }
    let (full, fast) = race(
        &texts,
        7,
        |stem, text| drop(black_box(parse_record_full(text.as_bytes(), stem, &schema))),
        |stem, text| drop(black_box(fast::parse(text, stem, &schema))),
    );
    let n = texts.len().max(1) as f64;
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n;
    println!(
        "{} files, {:.1} MB, {read_fast} read fast; best of 7, one thread",
        texts.len(),
        bytes as f64 / 1e6
    );
    println!(
        "full parser: {:>8.1} ms  {:>6.2} µs/file",
        full.as_secs_f64() * 1e3,
        per(full)
    );
    println!(
        "fast reader: {:>8.1} ms  {:>6.2} µs/file",
        fast.as_secs_f64() * 1e3,
        per(fast)
    );
    println!(
        "speed-up:    {:>8.1}×",
        full.as_secs_f64() / fast.as_secs_f64()
    );

    let records: Vec<_> = (texts.iter())
        .filter_map(|(stem, text)| fast::parse(text, stem, &schema))
        .collect();
    let best = |f: &dyn Fn()| {
        (0..7)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let emit = best(&|| records.iter().for_each(|r| drop(black_box(emit_record(r)))));
    let encoded: Vec<Vec<u8>> = (records.iter())
        .map(|r| {
            let mut out = Vec::new();
            binary::encode(r, &mut out);
            out
        })
        .collect();
    let encode = best(&|| {
        records.iter().for_each(|r| {
            let mut out = Vec::new();
            binary::encode(black_box(r), &mut out);
            black_box(out);
        })
    });
    let decode = best(&|| {
        encoded
            .iter()
            .for_each(|b| drop(black_box(binary::decode(b))))
    });
    let per = |d: Duration| d.as_secs_f64() * 1e6 / records.len().max(1) as f64;
    println!("emitter:      {:>6.2} µs/record", per(emit));
    println!("encode:       {:>6.2} µs/record", per(encode));
    println!("decode:       {:>6.2} µs/record", per(decode));
}
