//! The activity chart's data: events over the whole span in equal buckets,
//! from a load's events or from per-minute counts (a counts session).

use serde::{Deserialize, Serialize};

/// Events over time in equal buckets (at most [`Activity::MAX_BUCKETS`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub first_minute: i64,
    pub bucket_minutes: i64,
    pub counts: Vec<u32>,
}

impl Activity {
    pub const MAX_BUCKETS: i64 = 1_500;

    /// Buckets the (sorted or not) minutes of events.
    pub fn from_minutes(minutes: impl Iterator<Item = i64> + Clone) -> Activity {
        let (Some(first), Some(last)) = (minutes.clone().min(), minutes.clone().max()) else {
            return Activity::default();
        };
        let span = last - first + 1;
        // Whole minutes per bucket, rounded up to a readable step.
        let raw = (span + Activity::MAX_BUCKETS - 1) / Activity::MAX_BUCKETS;
        let bucket_minutes = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440]
            .into_iter()
            .find(|&b| b >= raw)
            .unwrap_or(raw.max(1));
        let mut counts = vec![0u32; (span / bucket_minutes + 1) as usize];
        for m in minutes {
            if let Some(c) = counts.get_mut(((m - first) / bucket_minutes) as usize) {
                *c += 1;
            }
        }
        Activity {
            first_minute: first,
            bucket_minutes,
            counts,
        }
    }
}

impl Activity {
    /// Buckets (minute, events) pairs, as [`Activity::from_minutes`] buckets
    /// one minute per event.
    pub fn from_minute_counts(per_minute: &[(i64, u64)]) -> Activity {
        let (Some(first), Some(last)) = (
            per_minute.iter().map(|p| p.0).min(),
            per_minute.iter().map(|p| p.0).max(),
        ) else {
            return Activity::default();
        };
        let mut a = Activity::from_minutes([first, last].into_iter());
        a.counts.iter_mut().for_each(|c| *c = 0);
        for &(m, n) in per_minute {
            let at = (m - first) / a.bucket_minutes.max(1);
            if let Some(c) = a.counts.get_mut(at as usize) {
                *c = c.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::Activity;

    #[test]
    fn buckets_are_a_readable_step_and_hold_every_event() {
        assert_eq!(Activity::from_minutes([].into_iter()), Activity::default());
        // Two days of minutes: 2 880 > 1 500 buckets, so 2-minute buckets.
        let minutes: Vec<i64> = (100..100 + 2_880).chain([100, 101, 2_979]).collect();
        let a = Activity::from_minutes(minutes.iter().copied());
        assert_eq!((a.first_minute, a.bucket_minutes), (100, 2));
        assert!(a.counts.len() as i64 <= Activity::MAX_BUCKETS + 1);
        let total: u64 = a.counts.iter().map(|&c| u64::from(c)).sum();
        assert_eq!(total, minutes.len() as u64);
        assert_eq!(a.counts[0], 4);
    }

    #[test]
    fn counts_per_minute_bucket_as_one_minute_per_event() {
        let per_minute = [(7, 3), (9, 1), (5_000, 2)];
        let expanded = per_minute
            .iter()
            .flat_map(|&(m, n)| std::iter::repeat_n(m, n as usize));
        assert_eq!(
            Activity::from_minute_counts(&per_minute),
            Activity::from_minutes(expanded.collect::<Vec<_>>().into_iter())
        );
    }
}
