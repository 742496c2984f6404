//! The demo's report page in a real browser: headless Chromium (Debian's
//! `chromium` package; .ci/run installs it) loads it without errors, every
//! chart draws where it stands, and the funnel's Chinese stage labels are in
//! the DOM. With `KITH_SCREENSHOT=docs/report.png` the screenshot is kept
//! there (the README's picture).
//!
//! The test fails, never skips, when chromium is missing: a browser test
//! that passes without a browser would prove nothing.

mod util;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::{Test, repo_root};

/// The width the page is laid out at, in CSS pixels (one per PNG pixel).
const WIDTH: u32 = 840;

const STAGES: [&str; 8] = [
    "见到客户",
    "发现机会",
    "确认机会",
    "明确需求",
    "方案报价",
    "客户承诺",
    "验收",
    "收款",
];

/// Records script and resource errors, in the head so it sees them all.
const ERRORS: &str = "<script>window.kithErrors=[];\
window.addEventListener('error',function(e){window.kithErrors.push(String(e.message||(e.target&&(e.target.src||e.target.href))||'error'));},true);\
</script>";

/// Writes each chart's box (page coordinates), the page's height and the
/// errors seen into attributes of `<body>`, for `--dump-dom` to show. It
/// changes nothing drawn, so the probe's layout is the page's.
const PROBE: &str = "<script>\
var b=[].map.call(document.querySelectorAll('figure svg'),function(s){var r=s.getBoundingClientRect();\
return [r.left,r.top+window.scrollY,r.width,r.height].map(Math.round).join(',');});\
document.body.setAttribute('data-boxes',b.join(';'));\
document.body.setAttribute('data-height',String(document.documentElement.scrollHeight));\
document.body.setAttribute('data-errors',window.kithErrors.join('|'));\
</script>";

fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("chromium"))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "chromium is not installed: the browser test needs Debian's `chromium` package \
             (apt-get install chromium fonts-noto-cjk; .ci/run installs it)"
        )
    })
}

/// Runs headless Chromium on `page` with `extra` arguments; its stdout.
fn browse(page: &Path, height: u32, extra: &[String]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={WIDTH},{height}"))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut std::io::BufReader::new(stdout), &mut out)
            .expect("read chromium's output");
        out
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("chromium did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "chromium failed: {status}");
    reader.join().expect("reader")
}

/// The value of `name="…"` on the dumped `<body>`.
fn attribute<'a>(dom: &'a str, name: &str) -> &'a str {
    let key = format!("{name}=\"");
    let from = dom
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in the DOM"))
        + key.len();
    let to = dom[from..].find('"').expect("closing quote") + from;
    &dom[from..to]
}

/// The share of pixels in the box that are not the page's white, and how
/// many distinct colours it holds.
fn ink(png: &Png, (x, y, w, h): (u32, u32, u32, u32)) -> (f64, usize) {
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for row in y..(y + h).min(png.height) {
        for col in x..(x + w).min(png.width) {
            let i = ((row * png.width + col) * png.channels) as usize;
            let rgb = [png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]];
            if rgb != [255, 255, 255] {
                inked += 1;
            }
            colours.insert(rgb);
        }
    }
    (inked as f64 / f64::from(w * h), colours.len())
}

struct Png {
    width: u32,
    height: u32,
    channels: u32,
    pixels: Vec<u8>,
}

fn decode(path: &Path) -> Png {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        fs::File::open(path).expect("open the screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("decode the PNG");
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    pixels.truncate(info.buffer_size());
    Png {
        width: info.width,
        height: info.height,
        channels,
        pixels,
    }
}

#[test]
fn the_demo_report_renders_in_chromium() {
    let t = Test::demo().today("2026-11-23");
    let page = t.path().join("report.html");
    t.run(&["report", "--html", page.to_str().expect("utf-8 path")])
        .success();
    let html = fs::read_to_string(&page).expect("read the page");

    let probe = t.path().join("probe.html");
    let probed = html
        .replacen("<head>", &format!("<head>{ERRORS}"), 1)
        .replacen("</body>", &format!("{PROBE}</body>"), 1);
    fs::write(&probe, probed).expect("write the probe");
    let dom = browse(&probe, 1000, &["--dump-dom".to_string()]);
    assert_eq!(attribute(&dom, "data-errors"), "", "errors while loading");
    for label in STAGES {
        assert!(
            dom.contains(&format!(">{label}</text>")),
            "{label} not in the DOM"
        );
    }
    let height: u32 = attribute(&dom, "data-height").parse().expect("height");
    let boxes: Vec<(u32, u32, u32, u32)> = attribute(&dom, "data-boxes")
        .split(';')
        .map(|b| {
            let v: Vec<u32> = b.split(',').map(|n| n.parse().expect("number")).collect();
            (v[0], v[1], v[2], v[3])
        })
        .collect();
    assert_eq!(boxes.len(), 6, "six charts: {boxes:?}");

    let shot = t.path().join("report.png");
    browse(&page, height, &[format!("--screenshot={}", shot.display())]);
    let png = decode(&shot);
    assert_eq!((png.width, png.height), (WIDTH, height));
    for (i, b) in boxes.iter().enumerate() {
        assert!(
            b.1 + b.3 <= height,
            "chart {i} lies outside the page: {b:?}"
        );
        let (share, colours) = ink(&png, *b);
        // A drawn chart has bars or a curve, grid lines and text: well over
        // a few percent of its box inked, in many shades (anti-aliasing).
        assert!(
            share > 0.04,
            "chart {i} at {b:?} looks blank: {share:.3} inked"
        );
        assert!(colours > 16, "chart {i} at {b:?} has {colours} colours");
    }
    // Between the charts the page is white: the boxes are where they stand.
    let gap = (0, boxes[0].1 + boxes[0].3 + 2, WIDTH, 4);
    assert!(ink(&png, gap).0 < 0.01, "{gap:?} is not white");

    if let Some(keep) = std::env::var_os("KITH_SCREENSHOT") {
        let keep = repo_root().join(keep);
        fs::copy(&shot, &keep).expect("keep the screenshot");
    }
}
