//! The layers of ARCHITECTURE.md hold: no two files of `src/` import each
//! other, directly or through others, apart from a module and its own
//! children (a parent re-exporting a child, a child using its parent's
//! types). A cycle would tie the layers into one knot again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

mod util;

/// Each file's module path (`record::fast`), with its text.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk src");
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path.strip_prefix(src).expect("under src");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if matches!(parts.as_slice(), [only] if only == "lib" || only == "main") {
            parts.clear();
        }
        let text = std::fs::read_to_string(path).expect("read");
        out.insert(parts.join("::"), text);
    }
    out
}

/// The words of a path starting at `at` in `text`: `a::b::c`.
fn path_at(text: &str, at: usize) -> Vec<&str> {
    let rest = &text[at..];
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    rest[..end].split("::").filter(|w| !w.is_empty()).collect()
}

/// The module paths a file names: `crate::…` anywhere, `super::…` (also in
/// a `use super::{a, b::c}` group), each as the words after the root.
fn references(module: &str, text: &str) -> Vec<Vec<String>> {
    let here: Vec<&str> = module.split("::").filter(|w| !w.is_empty()).collect();
    let parent = &here[..here.len().saturating_sub(1)];
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let words = path_at(code, at + "crate::".len());
            out.push(words.iter().map(|w| w.to_string()).collect());
        }
        for (at, _) in code.match_indices("super::") {
            if code[..at].ends_with("::") {
                continue;
            }
            let after = &code[at + "super::".len()..];
            let mut base: Vec<String> = parent.iter().map(|w| w.to_string()).collect();
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let words: Vec<String> = item
                        .trim()
                        .split("::")
                        .map(|w| w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_')))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    out.push(base.iter().cloned().chain(words).collect());
                }
            } else {
                base.extend(path_at(after, 0).iter().map(|w| w.to_string()));
                out.push(base);
            }
        }
    }
    out
}

/// The deepest module of `known` that `words` starts with.
fn resolve(words: &[String], known: &BTreeSet<String>) -> Option<String> {
    (1..=words.len())
        .rev()
        .map(|n| words[..n].join("::"))
        .find(|m| known.contains(m))
}

fn related(a: &str, b: &str) -> bool {
    let inside = |child: &str, parent: &str| {
        parent.is_empty() || child == parent || child.starts_with(&format!("{parent}::"))
    };
    inside(a, b) || inside(b, a)
}

/// The import graph of `src/`, without the edges between a module and its
/// own ancestors or descendants.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = modules(src);
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &files {
        let targets = edges.entry(module.clone()).or_default();
        for words in references(module, text) {
            if let Some(target) = resolve(&words, &known)
                && !related(module, &target)
            {
                targets.insert(target);
            }
        }
    }
    edges
}

/// A cycle of the graph, if there is one, as the modules along it.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(at.to_string(), Mark::Open);
        stack.push(at.to_string());
        for next in edges.get(at).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = stack.iter().position(|m| m == next).unwrap_or(0);
                    let mut found = stack[from..].to_vec();
                    found.push(next.clone());
                    return Some(found);
                }
                Mark::New => {
                    if let Some(found) = visit(next, edges, marks, stack) {
                        return Some(found);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(at.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for start in edges.keys() {
        if marks.get(start).copied().unwrap_or(Mark::New) == Mark::New
            && let Some(found) = visit(start, edges, &mut marks, &mut Vec::new())
        {
            return Some(found);
        }
    }
    None
}

#[test]
fn no_two_files_of_src_import_each_other() {
    let edges = graph(&util::repo_root().join("src"));
    assert!(edges.len() > 50, "{} modules", edges.len());
    if let Some(found) = cycle(&edges) {
        panic!("an import cycle: {}", found.join(" → "));
    }
}

#[test]
fn the_check_finds_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(src.join("a/mod.rs"), "mod inner;\nuse crate::b::thing;\n").unwrap();
    std::fs::write(src.join("a/inner.rs"), "use super::{x, y};\n").unwrap();
    // b reaches into a's child only: no cycle between files.
    std::fs::write(
        src.join("b.rs"),
        "pub fn thing() { crate::a::inner::go() }\n",
    )
    .unwrap();
    assert_eq!(cycle(&graph(src)), None);
    // b uses a itself: a → b → a.
    std::fs::write(
        src.join("b.rs"),
        "use crate::a::Thing;\npub fn thing() {}\n",
    )
    .unwrap();
    assert_eq!(
        cycle(&graph(src)),
        Some(vec!["a".to_string(), "b".to_string(), "a".to_string()])
    );
    // A module and its own child are no cycle.
    std::fs::write(src.join("b.rs"), "pub fn thing() {}\n").unwrap();
    assert_eq!(cycle(&graph(src)), None);
}

/// The lower layers and the top-level modules each may import: the
/// imports run one way, from the commands down to the record and below.
const LAYERS: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("date", &["error"]),
    ("money", &["error"]),
    ("period", &["date", "error"]),
    ("record", &["date", "money", "error"]),
    ("config", &["record", "date", "money", "period", "error"]),
    ("store", &["record", "config", "date", "money", "error"]),
    ("merge", &["record", "date", "money", "error"]),
    ("vcs", &["store", "error"]),
    // Pure rules and figures: no files, no printing.
    ("deal", &["record", "config", "date", "money", "error"]),
    (
        "analysis",
        &[
            "deal", "record", "config", "date", "money", "period", "error",
        ],
    ),
];

/// The modules of `cmd` that are not commands: what commands share.
const SHARED_BY_COMMANDS: &[&str] = &["cmd", "cmd::ctx", "cmd::listing"];

#[test]
fn imports_run_down_the_layers() {
    let edges = graph(&util::repo_root().join("src"));
    let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut wrong = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            let (f, t) = (top(from), top(to));
            if f == t {
                // Commands do not import each other, only what they share.
                if f == "cmd" && !SHARED_BY_COMMANDS.contains(&to.as_str()) && from != "cmd" {
                    wrong.push(format!("{from} → {to}"));
                }
                continue;
            }
            if let Some((_, allowed)) = LAYERS.iter().find(|(m, _)| *m == f)
                && !allowed.contains(&t.as_str())
            {
                wrong.push(format!("{from} → {to}"));
            }
            if (t == "cmd" && f != "app") || t == "app" {
                wrong.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:?}");
}
