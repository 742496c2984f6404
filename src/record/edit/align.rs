//! Lining up the entries of a list before and after an edit, so that the
//! editor keeps the entries that did not change where they are (with their
//! comments), changes in place the ones that did, and knows where new ones
//! go.

use std::collections::HashMap;

/// Which old entry each new entry continues, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct Alignment {
    /// For each new entry: the old entry it continues, and whether it is
    /// unchanged.
    pub new_to_old: Vec<Option<(usize, bool)>>,
    /// For each old entry, whether any new entry continues it; the others
    /// are removed.
    pub kept: Vec<bool>,
}

/// Where a new entry goes: after or before an old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    After(usize),
    Before(usize),
}

impl Alignment {
    fn new(old: usize, new: usize) -> Alignment {
        Alignment {
            new_to_old: vec![None; new],
            kept: vec![false; old],
        }
    }

    fn link(&mut self, old: usize, new: usize, same: bool) {
        self.new_to_old[new] = Some((old, same));
        self.kept[old] = true;
    }

    /// Where new entry `j` goes: after the old entry that continues the
    /// nearest new entry before it; failing that, before the one after it;
    /// failing that (every old entry goes), after the last old entry.
    pub fn anchor(&self, j: usize) -> Anchor {
        let old = |k: usize| self.new_to_old[k].map(|(i, _)| i);
        if let Some(i) = (0..j).rev().find_map(old) {
            return Anchor::After(i);
        }
        if let Some(i) = (j + 1..self.new_to_old.len()).find_map(old) {
            return Anchor::Before(i);
        }
        Anchor::After(self.kept.len().saturating_sub(1))
    }

    /// Whether entries are added or removed (rather than only changed).
    pub fn reshapes(&self) -> bool {
        self.new_to_old.iter().any(Option::is_none) || self.kept.iter().any(|k| !k)
    }
}

/// Lists whose order is their meaning (tags, a deal's history): the longest
/// common run of unchanged entries is kept, and between two kept entries the
/// old and new entries are paired one by one, so that replacing a tag keeps
/// its place and its comment.
pub fn ordered(old: &[&str], new: &[&str]) -> Alignment {
    let mut al = Alignment::new(old.len(), new.len());
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let rest = old.len().min(new.len()) - prefix;
    let suffix = (0..rest)
        .take_while(|&k| old[old.len() - 1 - k] == new[new.len() - 1 - k])
        .count();
    for k in 0..prefix {
        al.link(k, k, true);
    }
    for k in 0..suffix {
        al.link(old.len() - 1 - k, new.len() - 1 - k, true);
    }
    let (o, n) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut anchors = common_run(o, n);
    anchors.push((o.len(), n.len()));
    let (mut oi, mut ni) = (0, 0);
    for (ao, an) in anchors {
        // The gap before this anchor: pair what was replaced, one by one.
        for k in 0..(ao - oi).min(an - ni) {
            al.link(prefix + oi + k, prefix + ni + k, false);
        }
        if ao < o.len() {
            al.link(prefix + ao, prefix + an, true);
        }
        (oi, ni) = (ao + 1, an + 1);
    }
    al
}

/// The longest common subsequence of two short lists, as index pairs. Long
/// middles (thousands of entries on both sides) are left unmatched rather
/// than paying a quadratic table; the editor then pairs them one by one.
fn common_run(old: &[&str], new: &[&str]) -> Vec<(usize, usize)> {
    const LIMIT: usize = 1 << 22;
    if old.is_empty() || new.is_empty() || old.len() * new.len() > LIMIT {
        return Vec::new();
    }
    let w = new.len() + 1;
    let mut len = vec![0u32; (old.len() + 1) * w];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            len[i * w + j] = if old[i] == new[j] {
                len[(i + 1) * w + j + 1] + 1
            } else {
                len[(i + 1) * w + j].max(len[i * w + j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if old[i] == new[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if len[(i + 1) * w + j] >= len[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Lists kith keeps sorted (deals, tasks, interactions), whose order in a
/// hand-written file may be the author's own: unchanged entries are matched
/// wherever they stand; of the rest, an old and a new entry with the same
/// identity (a deal's id, a task's due date and text …) are paired, in order.
pub fn unordered(
    old: &[&str],
    new: &[&str],
    old_identity: &[&str],
    new_identity: &[&str],
) -> Alignment {
    let mut al = Alignment::new(old.len(), new.len());
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, text) in old.iter().enumerate().rev() {
        by_text.entry(text).or_default().push(i);
    }
    for (j, text) in new.iter().enumerate() {
        if let Some(i) = by_text.get_mut(text).and_then(Vec::pop) {
            al.link(i, j, true);
        }
    }
    let mut by_identity: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, identity) in old_identity.iter().enumerate().rev() {
        if !al.kept[i] {
            by_identity.entry(identity).or_default().push(i);
        }
    }
    for (j, identity) in new_identity.iter().enumerate() {
        if al.new_to_old[j].is_some() {
            continue;
        }
        if let Some(i) = by_identity.get_mut(identity).and_then(Vec::pop) {
            al.link(i, j, false);
        }
    }
    al
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(al: &Alignment) -> Vec<Option<(usize, bool)>> {
        al.new_to_old.clone()
    }

    #[test]
    fn ordered_keeps_common_entries_and_pairs_replacements() {
        // [a, b, c] → [a, c, d]: a and c kept, b removed, d added after c.
        let al = ordered(&["a", "b", "c"], &["a", "c", "d"]);
        assert_eq!(pairs(&al), [Some((0, true)), Some((2, true)), None]);
        assert_eq!(al.kept, [true, false, true]);
        assert_eq!(al.anchor(2), Anchor::After(2));
        // [a, b] → [x, y]: nothing in common, replaced in place.
        let al = ordered(&["a", "b"], &["x", "y"]);
        assert_eq!(pairs(&al), [Some((0, false)), Some((1, false))]);
        assert!(!al.reshapes());
        // [b] → [a, b]: a goes before b.
        let al = ordered(&["b"], &["a", "b"]);
        assert_eq!(al.anchor(0), Anchor::Before(0));
    }

    #[test]
    fn ordered_matches_across_a_moved_middle() {
        let al = ordered(&["a", "x", "b", "y", "c"], &["a", "b", "z", "c"]);
        // a, b, c kept; x removed; y paired with z (same gap).
        assert_eq!(
            pairs(&al),
            [
                Some((0, true)),
                Some((2, true)),
                Some((3, false)),
                Some((4, true))
            ]
        );
        assert_eq!(al.kept, [true, false, true, true, true]);
    }

    #[test]
    fn unordered_matches_wherever_entries_stand() {
        // The file keeps its entries out of order; the new list is sorted and
        // has one changed entry (same identity) and one new one.
        let old = ["t3", "t1", "t2"];
        let new = ["t1", "t2'", "t3", "t4"];
        let al = unordered(&old, &new, &["3", "1", "2"], &["1", "2", "3", "4"]);
        assert_eq!(
            pairs(&al),
            [Some((1, true)), Some((2, false)), Some((0, true)), None]
        );
        assert_eq!(al.anchor(3), Anchor::After(0));
    }

    #[test]
    fn a_list_replaced_whole_goes_after_its_last_entry() {
        let al = unordered(&["a"], &["b"], &["1"], &["2"]);
        assert_eq!(al.kept, [false]);
        assert_eq!(al.anchor(0), Anchor::After(0));
    }
}
