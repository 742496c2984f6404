//! The canonical form is fixed by `docs/canonical.yaml`, and every YAML 1.1
//! reader (PyYAML) reads exactly the values kith reads.

mod util;

use std::process::Command;

use kith::record::{Schema, emit_record, parse_record};
use util::{Test, repo_root};

fn golden() -> String {
    std::fs::read_to_string(repo_root().join("docs/canonical.yaml")).expect("golden file")
}

#[test]
fn golden_file_is_canonical() {
    let text = golden();
    let record = parse_record(text.as_bytes(), "杭州星河贸易有限公司", &Schema::default())
        .expect("golden parses");
    assert_eq!(emit_record(&record), text);
}

#[test]
fn fmt_leaves_the_golden_file_alone_and_normalises_a_shuffled_one() {
    let text = golden();
    let t = Test::new().file("杭州星河贸易有限公司.yaml", &text);
    t.run(&["fmt", "--check"]).success().stdout_empty();
    // The same record with keys and list entries shuffled, and loose quoting.
    let shuffled = "interactions:\n  - {date: 2026-11-22, kind: feedback, summary: Happy with the support, rating: 4}\n  - date: 2026-11-20\n    kind: call\n    summary: \"Discussed the revised quote\"\n    by: li.wei\n    deal: erp-2026\ntags: [b, a]\nname: \"Acme\"\n";
    t.write("acme.yaml", shuffled);
    t.run(&["fmt", "--check"])
        .code(1)
        .stdout_is(&format!("{}\n", t.path().join("acme.yaml").display()));
    t.run(&["fmt"]).success();
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme\ntags: [b, a]\ninteractions:\n  - date: 2026-11-20\n    kind: call\n    summary: Discussed the revised quote\n    by: li.wei\n    deal: erp-2026\n  - date: 2026-11-22\n    kind: feedback\n    summary: Happy with the support\n    rating: 4\n"
    );
    t.run(&["fmt", "--check"]).success().stdout_empty();
}

/// PyYAML's reading of a YAML text as JSON (dates as ISO strings), or None
/// when PyYAML is not installed (then the test says so; CI has it).
fn pyyaml_json(text: &str) -> Option<serde_json::Value> {
    let script = "import sys, json, yaml\nprint(json.dumps(yaml.safe_load(sys.stdin.read()), default=str, ensure_ascii=False))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named") {
            return None;
        }
        panic!("PyYAML failed: {err}");
    }
    Some(serde_json::from_slice(&out.stdout).expect("json"))
}

/// kith's reading: the YAML 1.2 core schema of yaml_serde, where every scalar
/// kith writes for text is a string, dates are strings and money a number.
fn kith_json(text: &str) -> serde_json::Value {
    let v: yaml_serde::Value = yaml_serde::from_str(text).expect("yaml");
    serde_json::to_value(v).expect("json")
}

/// Numbers compare by value (PyYAML reads 50000.00 as 50000.0).
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[track_caller]
fn assert_pyyaml_agrees(text: &str) {
    let Some(py) = pyyaml_json(text) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PyYAML is required in CI (python3 -m pip install pyyaml)"
        );
        eprintln!("PyYAML not installed: skipping the agreement check");
        return;
    };
    let ours = kith_json(text);
    assert!(
        same(&py, &ours),
        "PyYAML reads\n{py:#}\nkith reads\n{ours:#}\nfrom\n{text}"
    );
}

#[test]
fn pyyaml_reads_what_kith_reads_in_the_golden_file() {
    assert_pyyaml_agrees(&golden());
}

#[test]
fn pyyaml_reads_what_kith_writes_for_tricky_text() {
    let t = Test::new();
    let tricky = [
        "no",
        "yes",
        "on",
        "off",
        "~",
        "null",
        "0123",
        "1.10",
        "2026-01-01",
        "1:20",
        "0x1F",
        "1e5",
        ".inf",
        "-5",
        "+86 571",
        "=SUM(A1)",
        "@x",
        "a: b",
        "x #y",
        "'q'",
        "\"q\"",
        "line\nbreak",
        " lead",
        "trail ",
        "杭州",
        "Ёж",
        "[x]",
        "{y}",
        "*star",
        "&amp",
        "!tag",
        "%pct",
        "`tick",
        "|pipe",
        ">gt",
        "?q",
        "- dash",
        "12:30:45",
        "2026-11-20T09:00",
        "true",
        "FALSE",
        "Null",
        "<<",
        "=",
    ];
    let r = t.run(&["add", "Tricky"]);
    r.success();
    let mut args = vec!["set".to_string(), "--new".to_string(), "tricky".to_string()];
    for (i, s) in tricky.iter().enumerate() {
        args.push(format!("k{i:02}={s}"));
    }
    args.push(format!("tags={}", ["no", "on", "0123", "1.10"].join(",")));
    args.push("owner=yes".to_string());
    args.push("contact.phone=0571 8888".to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.run(&args).success();
    let text = t.read("tricky.yaml");
    assert_pyyaml_agrees(&text);
    // And kith itself reads back each string exactly.
    let record = parse_record(text.as_bytes(), "tricky", &Schema::default()).expect("parses");
    for (i, s) in tricky.iter().enumerate() {
        assert_eq!(
            record
                .extra
                .get(&format!("k{i:02}"))
                .and_then(|v| v.as_str()),
            Some(*s)
        );
    }
}

#[test]
fn pyyaml_reads_what_kith_writes_for_the_demo() {
    let demo = repo_root().join("fixtures/demo");
    for entry in walkdir::WalkDir::new(&demo)
        .into_iter()
        .filter_map(Result::ok)
    {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("kith.yaml") {
            assert_pyyaml_agrees(&std::fs::read_to_string(p).expect("read"));
        }
    }
}
