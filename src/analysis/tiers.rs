//! Tiers and relationship levels that follow value: each customer's
//! all-time revenue class suggests a tier and a relationship level by the
//! `tier_rules` and `relationship_rules` of kith.yaml. Pure.

use crate::analysis::abc::Class;
use crate::analysis::segment;
use crate::config::Config;
use crate::money::Money;
use crate::record::{Record, Relationship, Tier};

/// What the report needs of one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// All-time revenue as of today.
    pub revenue: Money,
    pub tier: Option<Tier>,
    pub relationship: Option<Relationship>,
    /// `tier_locked: true`: both stay as set by hand.
    pub locked: bool,
}

impl Customer {
    pub fn of(record: &Record, revenue: Money) -> Customer {
        Customer {
            id: record.id.clone(),
            name: record.name.clone(),
            revenue,
            tier: record.tier,
            relationship: record.relationship,
            locked: record.tier_locked == Some(true),
        }
    }
}

/// One row of `kith tiers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub customer: Customer,
    pub class: Class,
    pub suggested_tier: Tier,
    pub suggested_relationship: Relationship,
}

impl Row {
    /// Whether `--apply` changes this customer: not locked, and its tier or
    /// relationship differs from the suggestion.
    pub fn changes(&self) -> bool {
        !self.customer.locked
            && (self.customer.tier != Some(self.suggested_tier)
                || self.customer.relationship != Some(self.suggested_relationship))
    }
}

/// The rows in `segment` order: revenue descending, ties by id. Classes are
/// over every customer given.
pub fn rows(mut customers: Vec<Customer>, config: &Config) -> Vec<Row> {
    let classes = segment::classes_ranked(&mut customers, |c| (c.revenue, c.id.as_str()), config);
    customers
        .into_iter()
        .zip(classes)
        .map(|(customer, class)| {
            let rule = match class {
                Class::A => 0,
                Class::B => 1,
                Class::C => 2,
                Class::None => 3,
            };
            Row {
                customer,
                class,
                suggested_tier: config.tier_rules[rule],
                suggested_relationship: config.relationship_rules[rule],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: &str, revenue: i128, tier: Option<Tier>, locked: bool) -> Customer {
        Customer {
            id: id.into(),
            name: id.to_uppercase(),
            revenue: Money::from_cents(revenue * 100),
            tier,
            relationship: None,
            locked,
        }
    }

    #[test]
    fn the_class_suggests_tier_and_relationship_by_the_rules() {
        let config = Config::default();
        let rows = rows(
            vec![
                customer("small", 50, None, false),
                customer("big", 900, Some(Tier::Prospect), false),
                customer("none", 0, Some(Tier::Vip), true),
                customer("mid", 50, Some(Tier::Regular), false),
            ],
            &config,
        );
        let got: Vec<(&str, Class, Tier, Relationship, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r.customer.id.as_str(),
                    r.class,
                    r.suggested_tier,
                    r.suggested_relationship,
                    r.changes(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("big", Class::A, Tier::Vip, Relationship::Partnership, true),
                (
                    "mid",
                    Class::B,
                    Tier::Regular,
                    Relationship::Proactive,
                    true
                ),
                (
                    "small",
                    Class::C,
                    Tier::Regular,
                    Relationship::Reactive,
                    true
                ),
                (
                    "none",
                    Class::None,
                    Tier::Prospect,
                    Relationship::Basic,
                    false
                ),
            ]
        );
    }

    #[test]
    fn a_customer_already_as_suggested_does_not_change() {
        let config = Config::default();
        let mut c = customer("big", 900, Some(Tier::Vip), false);
        c.relationship = Some(Relationship::Partnership);
        let rows = rows(vec![c], &config);
        assert!(!rows[0].changes());
    }
}
