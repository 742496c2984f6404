//! A compact binary form of a parsed record, for the cache of parsed records
//! in `.kith/cache/` (see `store::cache`). It is nobody's file format: it may
//! change with any build, and the cache is dropped whenever it does.
//!
//! Decoding is the cache's hot path, so it is a plain walk over the bytes:
//! lengths and integers as LEB128 varints, text as length and UTF-8. `decode`
//! answers `None` for anything it does not fully understand (a truncated or
//! damaged cache), never panics, and never allocates more than the input
//! could hold.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use yaml_serde::value::{Tag, TaggedValue};
use yaml_serde::{Mapping, Number, Value};

use super::{CaseStatus, CustomerKind, HistoryEntry, Invoice, Outcome, Record, Relationship, Tier};
use crate::date::{Span, SpanUnit, When, YearlyDate};
use crate::money::Money;

/// Appends `record`'s binary form to `out`.
pub fn encode(record: &Record, out: &mut Vec<u8>) {
    record.put(out);
}

/// The record `bytes` hold, if they hold exactly one.
pub fn decode(bytes: &[u8]) -> Option<Record> {
    let mut input = Input { bytes, pos: 0 };
    let record = Record::get(&mut input)?;
    (input.pos == bytes.len()).then_some(record)
}

pub(super) struct Input<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Input<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(len)?;
        let slice = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(slice)
    }

    fn varint(&mut self) -> Option<u128> {
        let mut value: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            value |= u128::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A count of items, each at least one byte long: never more than the
    /// bytes left, so a damaged count cannot ask for a huge allocation.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.varint()?).ok()?;
        (n <= self.bytes.len() - self.pos).then_some(n)
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u128) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

/// A value with a binary form.
pub(super) trait Bin: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn get(input: &mut Input) -> Option<Self>;
}

impl Bin for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(input: &mut Input) -> Option<bool> {
        match input.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Bin for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn get(input: &mut Input) -> Option<u8> {
        input.byte()
    }
}

impl Bin for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, u128::from(*self));
    }
    fn get(input: &mut Input) -> Option<u32> {
        u32::try_from(input.varint()?).ok()
    }
}

impl Bin for Span {
    fn put(&self, out: &mut Vec<u8>) {
        self.count.put(out);
        out.push(match self.unit {
            SpanUnit::Days => 0,
            SpanUnit::Weeks => 1,
            SpanUnit::Months => 2,
            SpanUnit::Years => 3,
        });
    }
    fn get(input: &mut Input) -> Option<Span> {
        let count = u32::get(input)?;
        let unit = match input.byte()? {
            0 => SpanUnit::Days,
            1 => SpanUnit::Weeks,
            2 => SpanUnit::Months,
            3 => SpanUnit::Years,
            _ => return None,
        };
        Some(Span { count, unit })
    }
}

impl Bin for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u128);
        out.extend_from_slice(self.as_bytes());
    }
    fn get(input: &mut Input) -> Option<String> {
        let len = usize::try_from(input.varint()?).ok()?;
        let bytes = input.take(len)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
}

impl<T: Bin> Bin for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn get(input: &mut Input) -> Option<Option<T>> {
        match input.byte()? {
            0 => Some(None),
            1 => Some(Some(T::get(input)?)),
            _ => None,
        }
    }
}

impl<T: Bin> Bin for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u128);
        for item in self {
            item.put(out);
        }
    }
    fn get(input: &mut Input) -> Option<Vec<T>> {
        let n = input.count()?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(T::get(input)?);
        }
        Some(items)
    }
}

impl<A: Bin, B: Bin> Bin for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(input: &mut Input) -> Option<(A, B)> {
        Some((A::get(input)?, B::get(input)?))
    }
}

impl Bin for Money {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, zigzag(self.cents()));
    }
    fn get(input: &mut Input) -> Option<Money> {
        Some(Money::from_cents(unzigzag(input.varint()?)))
    }
}

impl Bin for NaiveDate {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, zigzag(i128::from(self.num_days_from_ce())));
    }
    fn get(input: &mut Input) -> Option<NaiveDate> {
        let days = i32::try_from(unzigzag(input.varint()?)).ok()?;
        NaiveDate::from_num_days_from_ce_opt(days)
    }
}

impl Bin for NaiveTime {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, u128::from(self.num_seconds_from_midnight()));
        put_varint(out, u128::from(self.nanosecond()));
    }
    fn get(input: &mut Input) -> Option<NaiveTime> {
        let secs = u32::try_from(input.varint()?).ok()?;
        let nanos = u32::try_from(input.varint()?).ok()?;
        NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
    }
}

impl Bin for When {
    fn put(&self, out: &mut Vec<u8>) {
        self.date.put(out);
        self.time.put(out);
    }
    fn get(input: &mut Input) -> Option<When> {
        Some(When {
            date: NaiveDate::get(input)?,
            time: Option::get(input)?,
        })
    }
}

impl Bin for YearlyDate {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            YearlyDate::Full(date) => {
                out.push(0);
                date.put(out);
            }
            YearlyDate::MonthDay { month, day } => {
                out.push(1);
                put_varint(out, u128::from(*month));
                put_varint(out, u128::from(*day));
            }
        }
    }
    fn get(input: &mut Input) -> Option<YearlyDate> {
        match input.byte()? {
            0 => Some(YearlyDate::Full(NaiveDate::get(input)?)),
            1 => Some(YearlyDate::MonthDay {
                month: u32::try_from(input.varint()?).ok()?,
                day: u32::try_from(input.varint()?).ok()?,
            }),
            _ => None,
        }
    }
}

impl Bin for Value {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Value::Null => out.push(0),
            Value::Bool(b) => {
                out.push(1);
                b.put(out);
            }
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    out.push(2);
                    put_varint(out, u128::from(u));
                } else if let Some(i) = n.as_i64() {
                    out.push(3);
                    put_varint(out, zigzag(i128::from(i)));
                } else {
                    out.push(4);
                    let f = n.as_f64().unwrap_or(f64::NAN);
                    out.extend_from_slice(&f.to_bits().to_le_bytes());
                }
            }
            Value::String(s) => {
                out.push(5);
                s.put(out);
            }
            Value::Sequence(items) => {
                out.push(6);
                items.put(out);
            }
            Value::Mapping(map) => {
                out.push(7);
                put_varint(out, map.len() as u128);
                for (k, v) in map {
                    k.put(out);
                    v.put(out);
                }
            }
            Value::Tagged(tagged) => {
                out.push(8);
                tagged.tag.to_string().put(out);
                tagged.value.put(out);
            }
        }
    }
    fn get(input: &mut Input) -> Option<Value> {
        Some(match input.byte()? {
            0 => Value::Null,
            1 => Value::Bool(bool::get(input)?),
            2 => Value::Number(Number::from(u64::try_from(input.varint()?).ok()?)),
            3 => Value::Number(Number::from(i64::try_from(unzigzag(input.varint()?)).ok()?)),
            4 => {
                let bits: [u8; 8] = input.take(8)?.try_into().ok()?;
                Value::Number(Number::from(f64::from_bits(u64::from_le_bytes(bits))))
            }
            5 => Value::String(String::get(input)?),
            6 => Value::Sequence(Vec::get(input)?),
            7 => {
                let n = input.count()?;
                let mut map = Mapping::with_capacity(n);
                for _ in 0..n {
                    map.insert(<Value as Bin>::get(input)?, <Value as Bin>::get(input)?);
                }
                Value::Mapping(map)
            }
            8 => {
                let tag = String::get(input)?;
                if tag.is_empty() {
                    return None;
                }
                Value::Tagged(Box::new(TaggedValue {
                    tag: Tag::new(tag),
                    value: <Value as Bin>::get(input)?,
                }))
            }
            _ => return None,
        })
    }
}

impl Bin for BTreeMap<String, Value> {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u128);
        for (k, v) in self {
            k.put(out);
            v.put(out);
        }
    }
    fn get(input: &mut Input) -> Option<Self> {
        let n = input.count()?;
        let mut map = BTreeMap::new();
        for _ in 0..n {
            map.insert(String::get(input)?, <Value as Bin>::get(input)?);
        }
        Some(map)
    }
}

/// The enums kith writes as fixed words: stored as the word's place in `ALL`.
macro_rules! bin_word {
    ($($name:ident),+) => {$(
        impl Bin for $name {
            fn put(&self, out: &mut Vec<u8>) {
                let place = $name::ALL.iter().position(|w| *w == self.as_str()).unwrap_or(0);
                out.push(place as u8);
            }
            fn get(input: &mut Input) -> Option<$name> {
                $name::parse($name::ALL.get(usize::from(input.byte()?))?)
            }
        }
    )+};
}

bin_word!(CustomerKind, Tier, Relationship, Outcome, CaseStatus);

/// Structs: their fields one after another, in the order listed.
macro_rules! bin_struct {
    ($name:ident { $($field:ident),+ $(,)? }) => {
        impl Bin for $name {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$field.put(out);)+
            }
            fn get(input: &mut Input) -> Option<$name> {
                Some($name { $($field: Bin::get(input)?),+ })
            }
        }
    };
}

// The records and the maps kith declares (`Record`, `Contact`, `Profile`,
// `Person`, `Deal`, `Task`, `Interaction`) get their codec from the macros
// of their tables (`record::fields`).

bin_struct!(Invoice {
    no,
    date,
    amount,
    due,
    extra,
});
bin_struct!(HistoryEntry {
    stage,
    outcome,
    date,
    extra,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Schema;

    #[test]
    fn varints_and_zigzag_round_trip_at_the_edges() {
        for v in [0i128, 1, -1, 63, -64, 64, i128::MAX, i128::MIN] {
            let mut out = Vec::new();
            put_varint(&mut out, zigzag(v));
            let mut input = Input {
                bytes: &out,
                pos: 0,
            };
            assert_eq!(input.varint().map(unzigzag), Some(v));
            assert_eq!(input.pos, out.len());
        }
    }

    #[test]
    fn unknown_values_of_every_yaml_kind_round_trip() {
        let text = "name: Acme\n\
            custom:\n  big: 18446744073709551615\n  neg: -9223372036854775808\n  \
            float: 1.5e300\n  inf: .inf\n  yes: true\n  nothing: null\n  \
            tagged: !thing {a: [1, two]}\n  1: number key\n";
        let record = crate::record::parse_record_full(text.as_bytes(), "acme", &Schema::default())
            .expect("parses");
        assert_eq!(record.extra.len(), 1);
        let mut out = Vec::new();
        encode(&record, &mut out);
        assert_eq!(decode(&out), Some(record));
    }

    #[test]
    fn damaged_bytes_decode_to_none_not_a_panic() {
        let mut record = Record::new("acme", "Acme");
        record.tags = vec!["a".into(); 3];
        let mut out = Vec::new();
        encode(&record, &mut out);
        assert_eq!(decode(&out), Some(record));
        for cut in 0..out.len() {
            assert_eq!(decode(&out[..cut]), None, "cut at {cut}");
        }
        let mut longer = out.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // A count far beyond the input must not allocate it.
        assert_eq!(decode(&[0xff, 0xff, 0xff, 0xff, 0x0f]), None);
    }
}
