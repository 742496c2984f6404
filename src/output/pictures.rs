//! The reports as charts: the funnel, the Pareto and whale curves, the
//! lifecycle and the RFM grid, drawn from the very rows the text reports
//! print, so every figure on a chart is one the text report shows.

use crate::analysis::abc::Class;
use crate::analysis::funnel::{Funnel, LostRow};
use crate::analysis::lifecycle::Lifecycle;
use crate::analysis::rfm;
use crate::analysis::segment::{By, Report, fraction, percent};
use crate::config::{BasisPoints, Config};
use crate::money::{Money, group_digits};
use crate::output::svg::{Band, Bar, Bars, Curve, Grid, Mark};

/// The most points a curve is drawn with: every customer up to this many,
/// else evenly spread customers plus the marked ones, so a page stays small
/// however large the folder.
pub const CURVE_POINTS: usize = 200;

/// The funnel: one bar per stage, as long as the deals that reached it.
pub fn funnel(report: &Funnel, config: &Config) -> Bars {
    let bars = report
        .stages
        .iter()
        .map(|s| {
            let stage = &config.funnel[s.stage];
            let mut note = vec![format!(
                "open {} ({}, weighted {})",
                s.deals,
                amount(s.value, config),
                amount(s.weighted_value, config)
            )];
            if let Some(c) = s.conversion {
                note.push(format!("to next {}", basis_points(c)));
            }
            if let Some(m) = s.median_days {
                note.push(format!("median {m} days"));
            }
            note.push(format!("lost {}", s.lost));
            Bar {
                label: stage.label.clone(),
                value: s.reached as f64,
                value_text: count(s.reached),
                note: note.join(" · "),
                at_stake: false,
            }
        })
        .collect();
    Bars {
        title: "Funnel: deals that reached each stage".to_string(),
        axis: "deals that reached the stage".to_string(),
        bars,
    }
}

/// Lost deals by reason, most first (as the funnel's table lists them).
pub fn lost(rows: &[LostRow], config: &Config) -> Bars {
    let bars = rows
        .iter()
        .map(|r| Bar {
            label: r
                .name
                .clone()
                .unwrap_or_else(|| "(not recorded)".to_string()),
            value: r.deals as f64,
            value_text: count(r.deals),
            note: amount(r.value, config),
            at_stake: true,
        })
        .collect();
    Bars {
        title: "Lost deals by reason".to_string(),
        axis: "deals lost".to_string(),
        bars,
    }
}

/// The cumulative curve of a segment report: by revenue the Pareto curve,
/// by profit the whale curve; both with the classes' bounds.
pub fn curve(report: &Report, config: &Config) -> Curve {
    let noun = match report.by {
        By::Revenue => "revenue",
        By::Profit => "profit",
    };
    let title = match report.by {
        By::Revenue => "Pareto curve: cumulative share of revenue",
        By::Profit => "Whale curve: cumulative share of profit",
    };
    let n = report.rows.len();
    let mut chart = Curve {
        title: title.to_string(),
        x_axis: format!(
            "customers ranked by {noun}, highest first ({} in all)",
            count(n)
        ),
        y_axis: format!("cumulative share of {noun}"),
        points: Vec::new(),
        bands: Vec::new(),
        marks: Vec::new(),
        lines: Vec::new(),
        empty: None,
        notes: report.summary(config.currency.as_deref()),
    };
    if !report.positive.is_positive() {
        chart.empty = Some(format!("no customer has a positive {noun}"));
        return chart;
    }
    let share = |k: usize| report.rows[k - 1].cumulative.to_f64() / report.positive.to_f64();
    let x = |k: usize| k as f64 / n as f64;
    let ends = class_ends(report);
    let losers = report.rows.iter().filter(|r| r.value.is_negative()).count();
    let peak = report.rows.iter().filter(|r| r.value.is_positive()).count();
    let mut keys: Vec<usize> = ends.iter().map(|(_, k)| *k).collect();
    keys.push(n);
    chart.points = std::iter::once((0.0, 0.0))
        .chain(
            sample(n, CURVE_POINTS, &keys)
                .into_iter()
                .map(|k| (x(k), share(k))),
        )
        .collect();
    let mut from = 0;
    for (class, end) in &ends {
        chart.bands.push(Band {
            from: x(from),
            to: x(*end),
            label: format!("{class}: {}", count(end - from)),
            at_stake: false,
        });
        from = *end;
    }
    let zero = n - from - if report.by == By::Profit { losers } else { 0 };
    if zero > 0 {
        chart.bands.push(Band {
            from: x(from),
            to: x(from + zero),
            label: format!("none: {}", count(zero)),
            at_stake: false,
        });
    }
    if report.by == By::Profit && losers > 0 {
        chart.bands.push(Band {
            from: x(n - losers),
            to: 1.0,
            label: format!("losing money: {}", count(losers)),
            at_stake: true,
        });
    }
    for (class, end) in &ends {
        let label = if report.by == By::Profit && *end == peak {
            format!(
                "peak: top {} ({}) bring {}",
                count(*end),
                percent(*end as i128, n as i128),
                cumulative(report, *end)
            )
        } else {
            format!(
                "{class} ends: top {} ({}) bring {}",
                count(*end),
                percent(*end as i128, n as i128),
                cumulative(report, *end)
            )
        };
        chart.marks.push(Mark {
            x: x(*end),
            y: share(*end),
            label,
        });
    }
    if ends.last().is_none_or(|(_, k)| *k != n) {
        chart.marks.push(Mark {
            x: 1.0,
            y: share(n),
            label: format!("end: all {} bring {}", count(n), cumulative(report, n)),
        });
    }
    chart.lines = vec![
        (
            cut(config.segment_a),
            format!("A cut-off {}", basis_points(config.segment_a)),
        ),
        (
            cut(config.segment_b),
            format!("B cut-off {}", basis_points(config.segment_b)),
        ),
    ];
    chart
}

/// The last rank of each class A, B and C that has customers.
fn class_ends(report: &Report) -> Vec<(Class, usize)> {
    let mut ends: Vec<(Class, usize)> = Vec::new();
    for (i, row) in report.rows.iter().enumerate() {
        if row.class == Class::None {
            break;
        }
        match ends.last_mut() {
            Some((class, end)) if *class == row.class => *end = i + 1,
            _ => ends.push((row.class, i + 1)),
        }
    }
    ends
}

/// The ranks a curve of `n` customers is drawn through: all of them up to
/// `most`, else `most` evenly spread ones and the `keys` (marked ranks).
pub fn sample(n: usize, most: usize, keys: &[usize]) -> Vec<usize> {
    if n <= most {
        return (1..=n).collect();
    }
    let mut ks: Vec<usize> = (1..=most).map(|i| (n * i).div_ceil(most)).collect();
    ks.extend(keys.iter().copied().filter(|k| (1..=n).contains(k)));
    ks.sort_unstable();
    ks.dedup();
    ks
}

/// The cumulative share after the top `k`, as `cumulative_share` prints it
/// but as a percentage: `0.8182` is `81.82%`.
fn cumulative(report: &Report, k: usize) -> String {
    let c = report.rows[k - 1].cumulative.cents();
    format!("{}%", fraction(c * 100, report.positive.cents(), 2))
}

fn cut(bp: BasisPoints) -> f64 {
    bp.0 as f64 / 10_000.0
}

/// Customers per lifecycle stage, every stage in order; at-risk and lost
/// with the revenue at stake.
pub fn lifecycle(rows: &[rfm::Row], config: &Config) -> Bars {
    const STAGES: [Lifecycle; 6] = [
        Lifecycle::Prospect,
        Lifecycle::New,
        Lifecycle::Repeat,
        Lifecycle::Loyal,
        Lifecycle::AtRisk,
        Lifecycle::Lost,
    ];
    let bars = STAGES
        .iter()
        .map(|stage| {
            let of: Vec<&rfm::Row> = rows
                .iter()
                .filter(|r| r.facts.lifecycle == *stage)
                .collect();
            let revenue: Money = of.iter().map(|r| r.facts.revenue).sum();
            let at_stake = matches!(stage, Lifecycle::AtRisk | Lifecycle::Lost);
            let note = if at_stake {
                format!("revenue at stake {}", amount(revenue, config))
            } else {
                format!("revenue {}", amount(revenue, config))
            };
            Bar {
                label: stage.as_str().to_string(),
                value: of.len() as f64,
                value_text: count(of.len()),
                note,
                at_stake,
            }
        })
        .collect();
    Bars {
        title: "Lifecycle: customers per stage".to_string(),
        axis: "customers".to_string(),
        bars,
    }
}

/// The RFM grid: scored customers by recency score (rows, 5 at the top)
/// and frequency score (columns), each cell's count and revenue.
pub fn rfm(rows: &[rfm::Row], config: &Config) -> Grid {
    let mut cells = vec![vec![(0usize, Money::ZERO); 5]; 5];
    let mut scored = 0;
    for row in rows {
        if let Some(s) = row.scores {
            let cell = &mut cells[usize::from(5 - s.r)][usize::from(s.f - 1)];
            cell.0 += 1;
            cell.1 += row.facts.revenue;
            scored += 1;
        }
    }
    Grid {
        title: format!(
            "RFM: {} customers by recency and frequency score",
            count(scored)
        ),
        rows: (1..=5).rev().map(|r| format!("R {r}")).collect(),
        row_axis: "recency score (5: bought most recently)".to_string(),
        columns: (1..=5).map(|f| format!("F {f}")).collect(),
        column_axis: format!(
            "frequency score (5: bought most often); each cell: customers and revenue{}",
            config
                .currency
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        cells: cells
            .into_iter()
            .map(|row| row.into_iter().map(|(n, m)| (n, m.grouped())).collect())
            .collect(),
    }
}

/// A fraction in basis points as a percentage: 8788 is `87.88%`.
fn basis_points(bp: BasisPoints) -> String {
    format!("{}%", fraction(bp.0, 100, 2))
}

fn amount(m: Money, config: &Config) -> String {
    match &config.currency {
        Some(c) => format!("{} {c}", m.grouped()),
        None => m.grouped(),
    }
}

fn count(n: usize) -> String {
    group_digits(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::facts::Facts;
    use crate::analysis::segment;

    fn facts(id: &str, revenue: i128, cost: i128) -> Facts {
        Facts {
            id: id.into(),
            name: id.into(),
            revenue: Money::from_cents(revenue * 100),
            cost: Money::from_cents(cost * 100),
            occasions: 1,
            last_purchase: None,
            lifecycle: Lifecycle::New,
        }
    }

    /// Profits 400, 80, 40, 0, -10, -50 (revenue 500, 100, 40, 0, 60, 300).
    fn six() -> Vec<Facts> {
        vec![
            facts("a", 500, 100),
            facts("b", 300, 350),
            facts("c", 100, 20),
            facts("d", 60, 70),
            facts("e", 40, 0),
            facts("f", 0, 0),
        ]
    }

    #[test]
    fn the_whale_curve_marks_class_ends_the_peak_and_the_end() {
        let report = segment::report(six(), By::Profit, &Config::default());
        let c = curve(&report, &Config::default());
        // The origin, then one point per customer: 400/520, 480/520, 1, 1,
        // 510/520, 460/520.
        let ys: Vec<String> = c.points.iter().map(|p| format!("{:.4}", p.1)).collect();
        assert_eq!(
            ys,
            [
                "0.0000", "0.7692", "0.9231", "1.0000", "1.0000", "0.9808", "0.8846"
            ]
        );
        let labels: Vec<&str> = c.marks.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "A ends: top 2 (33.3%) bring 92.31%",
                "peak: top 3 (50.0%) bring 100.00%",
                "end: all 6 bring 88.46%",
            ]
        );
        let bands: Vec<&str> = c.bands.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(bands, ["A: 2", "B: 1", "none: 1", "losing money: 2"]);
        assert_eq!(c.bands[3].from, 4.0 / 6.0);
    }

    #[test]
    fn no_positive_value_draws_no_curve() {
        let report = segment::report(vec![facts("a", 0, 5)], By::Profit, &Config::default());
        let c = curve(&report, &Config::default());
        assert!(c.points.is_empty());
        assert_eq!(
            c.empty.as_deref(),
            Some("no customer has a positive profit")
        );
    }

    #[test]
    fn the_rfm_grid_sums_each_cell() {
        let rows = |scores: &[(u8, u8)]| -> Vec<rfm::Row> {
            scores
                .iter()
                .enumerate()
                .map(|(i, (r, f))| rfm::Row {
                    facts: facts(&format!("c{i}"), 10 * (i as i128 + 1), 0),
                    recency_days: Some(1),
                    scores: Some(rfm::Scores { r: *r, f: *f, m: 1 }),
                })
                .collect()
        };
        let g = rfm(&rows(&[(5, 1), (5, 1), (1, 5)]), &Config::default());
        assert_eq!(g.cells[0][0], (2, "30.00".to_string()));
        assert_eq!(g.cells[4][4], (1, "30.00".to_string()));
        assert_eq!(g.cells[2][2], (0, "0.00".to_string()));
        assert_eq!(g.rows[0], "R 5");
        assert_eq!(g.title, "RFM: 3 customers by recency and frequency score");
    }

    #[test]
    fn small_curves_keep_every_customer() {
        assert_eq!(sample(5, 200, &[2]), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn large_curves_are_bounded_and_keep_the_marks() {
        let ks = sample(25_000, 200, &[4_811, 9_999, 25_000]);
        assert!(ks.len() <= 203, "{}", ks.len());
        assert_eq!(ks[0], 125);
        assert_eq!(ks[ks.len() - 1], 25_000);
        assert!(ks.contains(&4_811) && ks.contains(&9_999));
        assert!(ks.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn basis_points_as_percent() {
        assert_eq!(basis_points(BasisPoints(8788)), "87.88%");
        assert_eq!(basis_points(BasisPoints(10_000)), "100.00%");
        assert_eq!(basis_points(BasisPoints(5)), "0.05%");
    }
}
