//! Fuzzing the record parser: arbitrary bytes and mutated canonical records
//! never make kith panic, and whatever parses re-emits and re-parses to the
//! same record. The suite runs a short version; the long run for
//! docs/reliability.md is `KITH_FUZZ_CASES=200000 cargo test --release --test fuzz`.

use kith::merge::{Merged, merge};
use kith::record::{Schema, emit_record, parse_record};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("KITH_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000)
}

const SEED: &str = include_str!("../docs/canonical.yaml");

/// Text fragments that stress a YAML parser.
const FRAGMENTS: &[&str] = &[
    "&a ",
    "*a",
    "!!binary ",
    "!tag ",
    "? ",
    "- ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    "\"",
    "\\",
    "#",
    "|\n",
    ">-\n",
    "\t",
    "\r\n",
    "\u{feff}",
    "---\n",
    "...\n",
    "<<: *a\n",
    "~",
    "1e308",
    ".nan",
    "2026-02-30",
    "0.001",
    "\u{0}",
    "\u{85}",
    "\u{2028}",
    "杭州",
    "<<<<<<< ours\n",
    "%YAML 1.1\n",
];

fn mutated() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        (
            0usize..SEED.len(),
            0usize..FRAGMENTS.len(),
            0u8..4,
            any::<u8>(),
        ),
        1..8,
    )
    .prop_map(|edits| {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, frag, op, byte) in edits {
            let at = at.min(bytes.len());
            match op {
                0 => {
                    let f = FRAGMENTS[frag].as_bytes();
                    bytes.splice(at..at, f.iter().copied());
                }
                1 => {
                    let end = (at + usize::from(byte % 16)).min(bytes.len());
                    bytes.drain(at..end);
                }
                2 if at < bytes.len() => bytes[at] = byte,
                _ => bytes.insert(at, b' '),
            }
        }
        bytes
    })
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(record) = parse_record(bytes, "杭州星河贸易有限公司", &Schema::default()) {
        let text = emit_record(&record);
        let again = parse_record(text.as_bytes(), "杭州星河贸易有限公司", &Schema::default())
            .map_err(|e| TestCaseError::fail(format!("re-parse failed: {e}\n{text}")))?;
        let mut sorted = record;
        sorted.sort_lists();
        prop_assert_eq!(again, sorted);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes)?;
    }

    #[test]
    fn mutated_records_never_panic(bytes in mutated()) {
        check(&bytes)?;
    }

    /// The merge driver on any three records that parse: never a panic; a
    /// clean result re-parses, is the same whichever side is ours, and
    /// merging a side with itself over any base gives that side back when the
    /// base is that side too.
    #[test]
    fn merging_mutated_records_never_panics(a in mutated(), b in mutated(), c in mutated()) {
        let parse = |bytes: &[u8]| parse_record(bytes, "", &Schema::default()).ok();
        let (Some(base), Some(ours), Some(theirs)) = (parse(&a), parse(&b), parse(&c)) else {
            return Ok(());
        };
        let forward = merge(Some(&base), &ours, &theirs);
        let backward = merge(Some(&base), &theirs, &ours);
        if let (Merged::Clean(x), Merged::Clean(y)) = (&forward, &backward) {
            let text = emit_record(x);
            prop_assert!(parse_record(text.as_bytes(), "", &Schema::default()).is_ok(), "{}", text);
            prop_assert_eq!(emit_record(x), emit_record(y));
        }
        match merge(Some(&ours), &ours, &ours) {
            Merged::Clean(same) => prop_assert_eq!(emit_record(&same), emit_record(&ours)),
            Merged::Conflict { fields, .. } => prop_assert!(false, "self-merge conflicts on {:?}", fields),
            Merged::Unreadable(why) => prop_assert!(false, "self-merge unreadable: {}", why),
        }
    }
}

/// Found by the fuzzer: an unknown map with a number for a key came back
/// with the key as text (`'5': 71`).
#[test]
fn number_keys_in_unknown_maps_keep_their_type() {
    let text = "name: Nord\nregion:\n  codes:\n    - 5: 71\n    - 572\n  7: x\n";
    let r = parse_record(text.as_bytes(), "n", &Schema::default()).expect("parses");
    let out = emit_record(&r);
    assert_eq!(
        out,
        "name: Nord\nregion:\n  codes:\n    - 5: 71\n    - 572\n  7: x\n"
    );
    assert_eq!(
        parse_record(out.as_bytes(), "n", &Schema::default()).expect("re-parses"),
        r
    );
}
