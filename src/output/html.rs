//! The report page: one self-contained HTML document (no scripts, fonts,
//! images or styles from elsewhere) holding the charts as inline SVG, the
//! headline sentences and today's reminders, so that it opens from a mail
//! attachment or a file share, prints, and is read aloud by screen readers.

use std::fmt::Write;

use crate::analysis::funnel::Funnel;
use crate::analysis::remind::Head;
use crate::analysis::rfm;
use crate::analysis::segment::Report;
use crate::config::Config;
use crate::money::group_digits;
use crate::output::pictures;
use crate::output::svg::{self, escape};

/// The reminder rows the page lists before `… and N more`.
pub const REMINDER_ROWS: usize = 50;

/// What the page shows: the results of the analyses, as the text reports
/// print them for the same options.
pub struct Contents<'a> {
    pub config: &'a Config,
    /// What the page covers: the day, the window, the filters.
    pub scope: Vec<String>,
    pub funnel: &'a Funnel,
    pub by_revenue: &'a Report,
    pub by_profit: &'a Report,
    pub rfm: &'a [rfm::Row],
    pub reminders: &'a Head,
}

const STYLE: &str = "\
body{margin:0;background:#fff;color:#1a1a1a;font:15px/1.45 system-ui,-apple-system,'Segoe UI','Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif}
main{max-width:800px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:24px;margin:8px 0 4px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #c8c8c8;padding-bottom:4px}
.scope{color:#444;margin:0 0 12px}
figure{margin:12px 0;break-inside:avoid}
figure svg{display:block;max-width:100%;height:auto;border:1px solid #e0e0e0}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{text-align:left;padding:3px 10px 3px 0;border-bottom:1px solid #e4e4e4;vertical-align:top}
td.n,th.n{text-align:right}
table.rows td:first-child{white-space:nowrap}
.more{color:#444}
@media print{main{max-width:none}h2{break-after:avoid}}
";

/// The whole page.
pub fn page(c: &Contents) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>kith report</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Customer report</h1>\n<p class=\"scope\">{}</p>\n",
        escape(&c.scope.join(" · "))
    );
    headlines(&mut out, c);
    section(&mut out, "funnel", "Funnel");
    figure(&mut out, &svg::bars(&pictures::funnel(c.funnel, c.config)));
    if !c.funnel.by_reason.is_empty() {
        figure(
            &mut out,
            &svg::bars(&pictures::lost(&c.funnel.by_reason, c.config)),
        );
    }
    out.push_str("</section>\n");
    section(&mut out, "curves", "Whale and Pareto curves");
    figure(
        &mut out,
        &svg::curve(&pictures::curve(c.by_profit, c.config)),
    );
    figure(
        &mut out,
        &svg::curve(&pictures::curve(c.by_revenue, c.config)),
    );
    out.push_str("</section>\n");
    section(&mut out, "lifecycle", "Lifecycle");
    figure(&mut out, &svg::bars(&pictures::lifecycle(c.rfm, c.config)));
    out.push_str("</section>\n");
    section(&mut out, "rfm", "Recency and frequency");
    figure(&mut out, &svg::grid(&pictures::rfm(c.rfm, c.config)));
    out.push_str("</section>\n");
    reminders(&mut out, c.reminders);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(out: &mut String, id: &str, heading: &str) {
    let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{heading}</h2>");
}

fn figure(out: &mut String, svg: &str) {
    let _ = write!(out, "<figure>\n{svg}</figure>\n");
}

/// The sentences `segment` prints under its table, by revenue then by
/// profit (whose first sentence is its own Pareto fact).
fn headlines(out: &mut String, c: &Contents) {
    section(out, "headlines", "Headlines");
    out.push_str("<ul>\n");
    let currency = c.config.currency.as_deref();
    for line in c
        .by_revenue
        .summary(currency)
        .into_iter()
        .chain(c.by_profit.summary(currency))
    {
        let _ = writeln!(out, "<li>{}</li>", escape(&line));
    }
    out.push_str("</ul>\n</section>\n");
}

/// The count per kind, then the first rows as `kith remind` prints them
/// (a holiday's customers on one line), then how many more there are.
fn reminders(out: &mut String, head: &Head) {
    section(out, "reminders", "Today's reminders");
    if head.all == 0 {
        out.push_str("<p>Nothing is due.</p>\n</section>\n");
        return;
    }
    out.push_str("<table class=\"kinds\">\n<tr><th>kind</th><th class=\"n\">reminders</th></tr>\n");
    for (kind, n) in &head.kinds {
        let _ = writeln!(
            out,
            "<tr><td>{kind}</td><td class=\"n\">{}</td></tr>",
            group_digits(&n.to_string())
        );
    }
    let _ = writeln!(
        out,
        "<tr><th>all</th><th class=\"n\">{}</th></tr>\n</table>",
        group_digits(&head.all.to_string())
    );
    let (rows, total) = (&head.rows, head.total);
    out.push_str(
        "<table class=\"rows\">\n<tr><th>date</th><th>kind</th><th>id</th><th>name</th><th>what</th><th class=\"n\">days</th></tr>\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            r.date.format("%Y-%m-%d"),
            r.kind,
            escape(&r.id),
            escape(&r.name),
            escape(&r.text(true)),
            r.days
        );
    }
    out.push_str("</table>\n");
    if total > REMINDER_ROWS {
        let _ = writeln!(
            out,
            "<p class=\"more\">… and {} more</p>",
            group_digits(&(total - REMINDER_ROWS).to_string())
        );
    }
    out.push_str("</section>\n");
}
