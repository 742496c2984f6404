//! `kith.yaml`: the folder's settings, with every default of the SPEC.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::date::{Span, YearlyDate};
use crate::money::Money;
use crate::period::CalendarPeriod;
use crate::record::{BUILTIN_KINDS, ParseError, Relationship, Schema, Tier};

/// A fraction such as a probability or a cut-off, exact in basis points
/// (1/10,000), so that comparisons need no floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BasisPoints(pub i128);

impl BasisPoints {
    pub fn parse(text: &str) -> Result<BasisPoints, String> {
        let bad = || format!("`{text}` is not a fraction from 0 to 1 (write e.g. 0.8)");
        let s = text.trim();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 4 {
            return Err(format!("`{text}` has more than four decimals"));
        }
        let whole: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let frac_bp: i128 = format!("{frac:0<4}").parse().map_err(|_| bad())?;
        let bp = whole * 10_000 + frac_bp;
        if bp > 10_000 {
            return Err(bad());
        }
        Ok(BasisPoints(bp))
    }

    /// As a percentage with one decimal, e.g. `35.0%`.
    pub fn percent(self) -> String {
        format!("{}.{}%", self.0 / 100, (self.0 % 100) / 10)
    }
}

impl fmt::Display for BasisPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub id: String,
    pub label: String,
    pub probability: BasisPoints,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub name: String,
    pub date: YearlyDate,
    pub before: Span,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    pub at_risk_after: Span,
    pub at_risk_min: Span,
    pub lost_after: Span,
    pub loyal_purchases: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub currency: Option<String>,
    pub funnel: Vec<Stage>,
    /// Kinds added to the built-in ones.
    pub kinds: Vec<String>,
    /// Cost to serve, per interaction kind.
    pub costs: BTreeMap<String, Money>,
    /// Contact cadence per tier (`vip`, `regular`, `prospect`).
    pub cadence: BTreeMap<String, Span>,
    pub holidays: Vec<Holiday>,
    pub segment_a: BasisPoints,
    pub segment_b: BasisPoints,
    pub lifecycle: Lifecycle,
    /// Payment terms of deals that name none.
    pub payment_terms: Span,
    /// Sales targets per owner and month or quarter.
    pub targets: BTreeMap<String, BTreeMap<CalendarPeriod, Money>>,
    /// How long a complaint may stay open before `remind` lists it.
    pub complaint_sla: Span,
    /// How long a deal may sit in a stage before `remind` calls it stalled,
    /// per stage id; stages not named use `stalled_default`.
    pub stalled_after: BTreeMap<String, Span>,
    pub stalled_default: Span,
    /// The tier and relationship level each all-time revenue class suggests
    /// (`kith tiers`), in the order A, B, C, none.
    pub tier_rules: [Tier; 4],
    pub relationship_rules: [Relationship; 4],
    /// Keys of the folder's own that `kith set` accepts beside kith's
    /// (`crm.legacy_id`): dotted paths, stored as text.
    pub fields: Vec<String>,
}

/// The eight stages of a project sale.
pub const DEFAULT_FUNNEL: &[(&str, &str, &str, i128)] = &[
    ("met", "Met the customer", "见到客户", 500),
    ("opportunity", "Opportunity found", "发现机会", 1000),
    ("confirmed", "Opportunity confirmed", "确认机会", 2000),
    ("needs", "Needs clarified", "明确需求", 3500),
    ("proposal", "Proposal and quote", "方案报价", 5000),
    ("commitment", "Customer commitment", "客户承诺", 7500),
    ("acceptance", "Delivered and accepted", "验收", 9000),
    ("paid", "Payment collected", "收款", 10_000),
];

impl Default for Config {
    fn default() -> Config {
        Config {
            currency: None,
            funnel: DEFAULT_FUNNEL
                .iter()
                .map(|(id, label, _, p)| Stage {
                    id: (*id).to_string(),
                    label: (*label).to_string(),
                    probability: BasisPoints(*p),
                })
                .collect(),
            kinds: Vec::new(),
            costs: BTreeMap::new(),
            cadence: [("vip", 30), ("regular", 90)]
                .into_iter()
                .map(|(k, d)| (k.to_string(), Span::days(d)))
                .collect(),
            holidays: Vec::new(),
            segment_a: BasisPoints(8000),
            segment_b: BasisPoints(9500),
            lifecycle: Lifecycle {
                at_risk_after: Span::days(180),
                at_risk_min: Span::days(30),
                lost_after: Span::days(365),
                loyal_purchases: 4,
            },
            payment_terms: Span::days(30),
            targets: BTreeMap::new(),
            complaint_sla: Span::days(2),
            stalled_after: BTreeMap::new(),
            stalled_default: Span::days(30),
            tier_rules: [Tier::Vip, Tier::Regular, Tier::Regular, Tier::Prospect],
            relationship_rules: [
                Relationship::Partnership,
                Relationship::Proactive,
                Relationship::Reactive,
                Relationship::Basic,
            ],
            fields: Vec::new(),
        }
    }
}

impl Config {
    /// Parses `kith.yaml`; an empty file gives the defaults.
    pub fn parse(bytes: &[u8]) -> Result<Config, ParseError> {
        let only_comments = String::from_utf8_lossy(bytes).lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "---"
        });
        if only_comments {
            return Ok(Config::default());
        }
        let file: File = crate::record::from_yaml_located(bytes)?;
        Ok(file.into_config())
    }

    /// Every interaction kind: the built-in ones, then those kith.yaml adds.
    pub fn all_kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = BUILTIN_KINDS.iter().map(|k| k.to_string()).collect();
        for k in &self.kinds {
            if !kinds.contains(k) {
                kinds.push(k.clone());
            }
        }
        kinds
    }

    pub fn schema(&self) -> Schema {
        Schema {
            stages: Some(self.funnel.iter().map(|s| s.id.clone()).collect()),
            kinds: Some(self.all_kinds()),
        }
    }

    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.funnel.iter().find(|s| s.id == id)
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.funnel.iter().position(|s| s.id == id)
    }

    /// How long a deal may sit in `stage` before it is stalled.
    pub fn stalled_after(&self, stage: &str) -> Span {
        self.stalled_after
            .get(stage)
            .copied()
            .unwrap_or(self.stalled_default)
    }

    /// The cost to serve one interaction of `kind`.
    pub fn kind_cost(&self, kind: &str) -> Money {
        self.costs.get(kind).copied().unwrap_or(Money::ZERO)
    }
}

// ---------------------------------------------------------------------------
// The file as written, checked value by value so errors carry positions.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    currency: Option<String>,
    funnel: Option<Vec<StageFile>>,
    kinds: Option<Vec<String>>,
    costs: Option<BTreeMap<String, MoneyText>>,
    cadence: Option<BTreeMap<String, SpanText>>,
    holidays: Option<Vec<HolidayFile>>,
    segments: Option<SegmentsFile>,
    lifecycle: Option<LifecycleFile>,
    payment_terms: Option<SpanText>,
    targets: Option<BTreeMap<String, BTreeMap<PeriodText, MoneyText>>>,
    complaint_sla: Option<SpanText>,
    stalled_after: Option<BTreeMap<String, SpanText>>,
    tier_rules: Option<ClassRules<TierText>>,
    relationship_rules: Option<ClassRules<RelationshipText>>,
    fields: Option<Vec<String>>,
}

/// A rule per all-time revenue class: `{a: vip, b: regular, c: regular,
/// none: prospect}`; a class not named keeps its default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassRules<T> {
    a: Option<T>,
    b: Option<T>,
    c: Option<T>,
    none: Option<T>,
}

impl<T> ClassRules<T> {
    fn apply<U>(self, rules: &mut [U; 4], get: impl Fn(T) -> U) {
        for (slot, rule) in rules.iter_mut().zip([self.a, self.b, self.c, self.none]) {
            if let Some(r) = rule {
                *slot = get(r);
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageFile {
    id: String,
    label: Option<String>,
    probability: FractionText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    date: YearlyText,
    before: Option<SpanText>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentsFile {
    a: Option<FractionText>,
    b: Option<FractionText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LifecycleFile {
    at_risk_after: Option<SpanText>,
    at_risk_min: Option<SpanText>,
    lost_after: Option<SpanText>,
    loyal_purchases: Option<u32>,
}

/// A scalar parsed by `parse` inside the visitor, so errors carry its position.
struct Parsed<F>(F);

impl<T, F: FnOnce(&str) -> Result<T, String>> de::Visitor<'_> for Parsed<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
}

macro_rules! parsed_text {
    ($name:ident, $ty:ty, $parse:expr) => {
        struct $name($ty);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(Parsed(|s: &str| $parse(s).map($name)))
            }
        }
    };
}

parsed_text!(MoneyText, Money, Money::parse);
parsed_text!(SpanText, Span, Span::parse);
parsed_text!(FractionText, BasisPoints, BasisPoints::parse);
parsed_text!(YearlyText, YearlyDate, YearlyDate::parse);
parsed_text!(TierText, Tier, |s: &str| Tier::parse(s).ok_or_else(
    || format!("`{s}` is not a tier; use one of: {}", Tier::ALL.join(", "))
));
parsed_text!(RelationshipText, Relationship, |s: &str| {
    Relationship::parse(s).ok_or_else(|| {
        format!(
            "`{s}` is not a relationship level; use one of: {}",
            Relationship::ALL.join(", ")
        )
    })
});

/// A month or quarter as a key of `targets:`.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PeriodText(CalendarPeriod);

impl<'de> Deserialize<'de> for PeriodText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(Parsed(|s: &str| CalendarPeriod::parse(s).map(PeriodText)))
    }
}

impl File {
    fn into_config(self) -> Config {
        let mut c = Config::default();
        if let Some(cur) = self.currency {
            c.currency = Some(cur);
        }
        if let Some(funnel) = self.funnel {
            c.funnel = funnel
                .into_iter()
                .map(|s| Stage {
                    label: s.label.unwrap_or_else(|| s.id.clone()),
                    id: s.id,
                    probability: s.probability.0,
                })
                .collect();
        }
        if let Some(fields) = self.fields {
            c.fields = fields;
        }
        if let Some(kinds) = self.kinds {
            c.kinds = kinds;
        }
        if let Some(costs) = self.costs {
            c.costs = costs.into_iter().map(|(k, v)| (k, v.0)).collect();
        }
        if let Some(cadence) = self.cadence {
            c.cadence = cadence.into_iter().map(|(k, v)| (k, v.0)).collect();
        }
        if let Some(holidays) = self.holidays {
            c.holidays = holidays
                .into_iter()
                .map(|h| Holiday {
                    name: h.name,
                    date: h.date.0,
                    before: h.before.map_or(Span::days(7), |s| s.0),
                    tags: h.tags,
                })
                .collect();
        }
        if let Some(seg) = self.segments {
            if let Some(a) = seg.a {
                c.segment_a = a.0;
            }
            if let Some(b) = seg.b {
                c.segment_b = b.0;
            }
        }
        if let Some(terms) = self.payment_terms {
            c.payment_terms = terms.0;
        }
        if let Some(targets) = self.targets {
            c.targets = targets
                .into_iter()
                .map(|(owner, by)| (owner, by.into_iter().map(|(p, m)| (p.0, m.0)).collect()))
                .collect();
        }
        if let Some(l) = self.lifecycle {
            if let Some(v) = l.at_risk_after {
                c.lifecycle.at_risk_after = v.0;
            }
            if let Some(v) = l.at_risk_min {
                c.lifecycle.at_risk_min = v.0;
            }
            if let Some(v) = l.lost_after {
                c.lifecycle.lost_after = v.0;
            }
            if let Some(v) = l.loyal_purchases {
                c.lifecycle.loyal_purchases = v;
            }
        }
        if let Some(sla) = self.complaint_sla {
            c.complaint_sla = sla.0;
        }
        if let Some(stalled) = self.stalled_after {
            for (stage, span) in stalled {
                if stage == "default" {
                    c.stalled_default = span.0;
                } else {
                    c.stalled_after.insert(stage, span.0);
                }
            }
        }
        if let Some(rules) = self.tier_rules {
            rules.apply(&mut c.tier_rules, |t| t.0);
        }
        if let Some(rules) = self.relationship_rules {
            rules.apply(&mut c.relationship_rules, |r| r.0);
        }
        c
    }
}

/// Checks that need the whole file: unique stage ids, costs and cadences
/// naming things that exist, cut-offs in order. Returns one message per problem.
pub fn semantic_problems(c: &Config) -> Vec<String> {
    let mut problems = Vec::new();
    if c.funnel.is_empty() {
        problems.push("`funnel:` has no stages; give at least one".to_string());
    }
    for (i, s) in c.funnel.iter().enumerate() {
        if c.funnel[..i].iter().any(|t| t.id == s.id) {
            problems.push(format!("the stage `{}` appears twice in `funnel:`", s.id));
        }
    }
    let kinds = c.all_kinds();
    for k in c.costs.keys() {
        if !kinds.contains(k) {
            problems.push(format!(
                "`costs:` names `{k}`, which is not an interaction kind; add it to `kinds:` or fix the name"
            ));
        }
    }
    for k in c.cadence.keys() {
        if crate::record::Tier::ALL.iter().all(|t| t != k) {
            problems.push(format!(
                "`cadence:` names `{k}`, which is not a tier; use prospect, regular or vip"
            ));
        }
    }
    for stage in c.stalled_after.keys() {
        if c.stage(stage).is_none() {
            problems.push(format!(
                "`stalled_after:` names `{stage}`, which is not a stage of the funnel; use a stage id or `default`"
            ));
        }
    }
    if c.segment_a > c.segment_b {
        problems.push("`segments:` has `a` above `b`; `a` must not exceed `b`".to_string());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let c = Config::parse(b"# nothing set\n").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.funnel.len(), 8);
        assert_eq!(c.funnel[4].probability, BasisPoints(5000));
    }

    #[test]
    fn reads_every_key() {
        let text = "currency: CNY\nfunnel:\n  - {id: met, label: 见到客户, probability: 0.05}\n  - {id: paid, label: 收款, probability: 1}\nkinds: [demo]\ncosts:\n  call: 5\n  demo: 12.50\ncadence:\n  vip: 2w\nholidays:\n  - {name: New Year, date: --01-01, before: 5d, tags: [export]}\nsegments: {a: 0.7, b: 0.9}\nlifecycle: {at_risk_after: 90d, loyal_purchases: 3}\n";
        let c = Config::parse(text.as_bytes()).unwrap();
        assert_eq!(c.currency.as_deref(), Some("CNY"));
        assert_eq!(c.funnel[0].label, "见到客户");
        assert_eq!(c.kind_cost("demo").to_string(), "12.50");
        assert_eq!(c.cadence["vip"].to_string(), "2w");
        assert!(!c.cadence.contains_key("regular"));
        assert_eq!(c.holidays[0].before.to_string(), "5d");
        assert_eq!(c.segment_a, BasisPoints(7000));
        assert_eq!(c.lifecycle.loyal_purchases, 3);
        assert_eq!(c.lifecycle.lost_after.to_string(), "365d");
        assert!(semantic_problems(&c).is_empty());
    }

    #[test]
    fn reads_the_retention_keys() {
        let text = "complaint_sla: 3d\nstalled_after: {proposal: 20d, default: 6w}\ntier_rules: {c: prospect}\nrelationship_rules: {a: proactive}\n";
        let c = Config::parse(text.as_bytes()).unwrap();
        assert_eq!(c.complaint_sla.to_string(), "3d");
        assert_eq!(c.stalled_after("proposal").to_string(), "20d");
        assert_eq!(c.stalled_after("met").to_string(), "6w");
        assert_eq!(
            c.tier_rules,
            [Tier::Vip, Tier::Regular, Tier::Prospect, Tier::Prospect]
        );
        assert_eq!(c.relationship_rules[0], Relationship::Proactive);
        assert_eq!(c.relationship_rules[1], Relationship::Proactive);
        assert!(semantic_problems(&c).is_empty());
        let c = Config::parse(b"stalled_after: {propsal: 20d}\n").unwrap();
        assert_eq!(semantic_problems(&c).len(), 1);
        assert!(Config::parse(b"tier_rules: {a: gold}\n").is_err());
    }

    #[test]
    fn errors_are_located() {
        let e = Config::parse(b"currency: CNY\nsegments: {a: 1.5}\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 15));
        let e = Config::parse(b"colour: red\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("colour"), "{}", e.message);
    }

    #[test]
    fn fractions_are_exact() {
        assert_eq!(BasisPoints::parse("0.8").unwrap(), BasisPoints(8000));
        assert_eq!(BasisPoints::parse("1").unwrap(), BasisPoints(10_000));
        assert_eq!(BasisPoints::parse(".05").unwrap(), BasisPoints(500));
        assert!(BasisPoints::parse("0.12345").is_err());
        assert!(BasisPoints::parse("1.2").is_err());
        assert_eq!(BasisPoints(3500).percent(), "35.0%");
    }
}
