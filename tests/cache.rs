//! The cache of parsed records in `.kith/cache/` never answers otherwise
//! than reading the files would: files edited behind its back (same size,
//! same second, modification time put back), files added, removed and moved,
//! a changed `kith.yaml`, a damaged cache, files that do not parse.

mod util;

use std::fs;
use std::path::Path;
use std::time::Duration;

use util::{Run, Test};

const SEGMENT: &[&str] = &["segment", "--by", "profit", "--format", "csv"];
const LIST: &[&str] = &["list", "--format", "csv"];

/// A copy of the demo whose files are old enough to be cached (the cache
/// leaves alone files changed within two seconds of a scan), with the cache
/// written by a first report.
fn cached_demo() -> Test {
    let t = Test::demo().today("2026-11-23");
    std::thread::sleep(Duration::from_millis(2100));
    t.run(SEGMENT).success();
    assert!(
        shards(t.path()).len() > 1,
        "the first report writes the cache"
    );
    t
}

fn shards(root: &Path) -> Vec<std::path::PathBuf> {
    fs::read_dir(root.join(".kith/cache"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// The report as read from the files alone.
fn uncached(t: &Test, args: &[&str]) -> Run {
    Run::from(
        t.command(args)
            .env("KITH_NO_CACHE", "1")
            .output()
            .expect("run kith"),
    )
}

/// Rewrites a file with `from` replaced by `to`, of the same length.
fn edit_same_size(path: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_file_edited_behind_its_back_with_its_time_put_back_is_read_again() {
    let t = cached_demo();
    let before = t.run(SEGMENT).stdout.clone();
    let path = t.path().join("acme-logistics-ltd.yaml");
    let meta = fs::metadata(&path).expect("stat");
    edit_same_size(&path, "amount: 71000.00", "amount: 99000.00");
    fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(meta.modified()?))
        .expect("put the modification time back");
    let after = fs::metadata(&path).expect("stat");
    assert_eq!(
        (after.len(), after.modified().ok()),
        (meta.len(), meta.modified().ok())
    );

    let run = t.run(SEGMENT);
    run.success();
    assert_ne!(run.stdout, before, "the edit shows");
    assert_eq!(run.stdout, uncached(&t, SEGMENT).stdout);
}

#[test]
fn a_file_edited_in_the_same_second_as_the_cache_was_written_is_read_again() {
    let t = cached_demo();
    let before = t.run(SEGMENT).stdout.clone();
    edit_same_size(
        &t.path().join("acme-logistics-ltd.yaml"),
        "amount: 71000.00",
        "amount: 11000.00",
    );
    let run = t.run(SEGMENT);
    assert_ne!(run.stdout, before, "the edit shows");
    assert_eq!(run.stdout, uncached(&t, SEGMENT).stdout);
    // Written again at once: the file is still too fresh to be trusted.
    edit_same_size(
        &t.path().join("acme-logistics-ltd.yaml"),
        "amount: 11000.00",
        "amount: 12000.00",
    );
    assert_eq!(t.run(SEGMENT).stdout, uncached(&t, SEGMENT).stdout);
}

/// On a file system whose clock ticks by the second, a file written again
/// in the tick it was read would keep its stamp: so files changed within
/// two seconds of a scan are read, not cached, as git does with racy files.
#[test]
fn files_changed_just_before_a_report_are_not_cached() {
    let t = Test::demo().today("2026-11-23");
    t.run(SEGMENT).success();
    assert_eq!(shards(t.path()), Vec::<std::path::PathBuf>::new());
}

#[test]
fn files_added_removed_and_moved_show_at_once() {
    let t = cached_demo();
    let before = t.run(LIST).stdout.clone();
    fs::remove_file(t.path().join("emily-carter.yaml")).expect("rm");
    fs::create_dir_all(t.path().join("west")).expect("mkdir");
    fs::rename(
        t.path().join("harbor-pine-co.yaml"),
        t.path().join("west/harbor-pine-co.yaml"),
    )
    .expect("mv");
    t.write("zeta-new.yaml", "name: Zeta New\n");
    let run = t.run(LIST);
    run.success();
    assert_ne!(run.stdout, before);
    assert!(!run.stdout.contains("emily-carter"));
    assert!(run.stdout.contains("zeta-new,Zeta New"));
    assert_eq!(run.stdout, uncached(&t, LIST).stdout);
}

/// `check` trusts the cache's verdict that an unchanged file parses, and
/// only that: a file broken behind its back is reported.
#[test]
fn check_reports_a_file_broken_behind_its_back() {
    let t = cached_demo();
    t.run(&["check"]).success().stdout_is("");
    edit_same_size(
        &t.path().join("acme-logistics-ltd.yaml"),
        "amount: 71000.00",
        "amount: 71000.0x",
    );
    let run = t.run(&["check"]);
    run.code(1).stdout_has("acme-logistics-ltd.yaml:85:");
    assert_eq!(run.stdout, uncached(&t, &["check"]).stdout);
}

#[test]
fn a_changed_kith_yaml_drops_the_cache() {
    let t = cached_demo();
    t.run(&["check"]).success();
    let config = t
        .read("kith.yaml")
        .replace("{id: met,", "{id: first-meeting,");
    t.write("kith.yaml", &config);
    let run = t.run(&["check"]);
    run.code(1).stdout_has("`met` is not a stage of the funnel");
    assert_eq!(run.stdout, uncached(&t, &["check"]).stdout);
}

#[test]
fn a_damaged_cache_is_dropped_and_written_anew() {
    let t = cached_demo();
    let before = t.run(SEGMENT).stdout.clone();
    for (i, shard) in shards(t.path()).iter().enumerate() {
        let mut bytes = fs::read(shard).expect("read shard");
        match i % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => bytes
                .iter_mut()
                .skip(30)
                .step_by(7)
                .for_each(|b| *b ^= 0x55),
            _ => bytes = b"kithrc01".to_vec(),
        }
        fs::write(shard, bytes).expect("damage shard");
    }
    t.run(SEGMENT).success().stdout_is(&before);
    t.run(SEGMENT).success().stdout_is(&before);
}

#[test]
fn files_that_do_not_parse_are_reported_on_every_run() {
    let t = Test::fixture("broken");
    std::thread::sleep(Duration::from_millis(2100));
    let first = t.run(&["check"]);
    first.code(1);
    assert!(!first.stdout.is_empty());
    t.run(&["check"]).code(1).stdout_is(&first.stdout);
    assert_eq!(first.stdout, uncached(&t, &["check"]).stdout);
}

#[test]
fn kith_no_cache_writes_no_cache() {
    let t = Test::demo().today("2026-11-23");
    uncached(&t, SEGMENT).success();
    assert!(shards(t.path()).is_empty());
}
