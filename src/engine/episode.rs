//! Episodes: how the hot (unusual) minutes of a series group into Insights,
//! shared by increases ([`super::decide`]) and drops ([`super::drops`]) so both
//! start and end the same way.

use super::params::END_QUIET;
use crate::model::Explanation;
use std::collections::BTreeMap;

/// One episode: `[start, end)` in absolute minutes, and why its Start was unusual.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Episode {
    pub start: i64,
    pub end: i64,
    pub why: Explanation,
}

/// Hot minutes (indexes into a series' dense counts) and, for each, the first
/// test that marked it.
#[derive(Default)]
pub(crate) struct HotMinutes {
    reasons: BTreeMap<usize, Explanation>,
}

impl HotMinutes {
    /// Marks minute `i` hot; the first reason given for a minute is kept.
    pub fn mark(&mut self, i: usize, why: &Explanation) {
        self.reasons.entry(i).or_insert_with(|| why.clone());
    }

    /// Groups the hot minutes into episodes: an episode ends once `END_QUIET`
    /// minutes in a row are not hot; its `end` is one past its last hot minute.
    /// `first` is the absolute minute of index 0.
    pub fn episodes(self, first: i64) -> Vec<Episode> {
        let mut out: Vec<Episode> = Vec::new();
        let mut last = i64::MIN;
        for (i, why) in self.reasons {
            let minute = first + i as i64;
            match out.last_mut() {
                Some(open) if minute - last <= END_QUIET => open.end = minute + 1,
                _ => out.push(Episode {
                    start: minute,
                    end: minute + 1,
                    why,
                }),
            }
            last = minute;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hot_minutes_group_until_five_quiet_minutes() {
        let mut hot = HotMinutes::default();
        let why = |n| Explanation {
            observed: n,
            ..Default::default()
        };
        for (i, n) in [(3, 1), (4, 2), (9, 3), (16, 4), (17, 5)] {
            hot.mark(i, &why(n));
        }
        hot.mark(3, &why(99));
        let eps = hot.episodes(1000);
        assert_eq!(eps.len(), 2);
        assert_eq!(
            (eps[0].start, eps[0].end, eps[0].why.observed),
            (1003, 1010, 1)
        );
        assert_eq!(
            (eps[1].start, eps[1].end, eps[1].why.observed),
            (1016, 1018, 4)
        );
    }
}
