//! When a failed delivery is tried again, and when an endpoint that keeps failing is switched
//! off. Receivers are down for minutes (a deploy) far more often than for days, so the first
//! retries come fast and later ones spread out, over about three days in all; jitter keeps the
//! retries of many deliveries that failed together from arriving together.

use chrono::{DateTime, TimeDelta, Utc};

/// The wait after each failed attempt, in order: 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h six
/// times (12 attempts over about 2 days 19 hours).
const DELAYS_SECONDS: [i64; 11] = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
    10 * 3600,
];

/// The most attempts one delivery gets.
pub const MAX_ATTEMPTS: u32 = DELAYS_SECONDS.len() as u32 + 1;

/// An endpoint whose attempts have all failed for this long is disabled.
pub const DISABLE_AFTER: TimeDelta = TimeDelta::days(5);

/// How far jitter moves a retry: up to a tenth of its delay, either way.
pub const JITTER: f64 = 0.1;

/// When to try again after the `attempts`-th attempt failed at `failed_at`; `None` when the
/// delivery has had all its attempts. `jitter` in [-1, 1] (random in production) moves the
/// time by up to [`JITTER`] of the delay.
pub fn next_attempt(attempts: u32, failed_at: DateTime<Utc>, jitter: f64) -> Option<DateTime<Utc>> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let delay = *DELAYS_SECONDS.get(index)? as f64;
    let jittered = delay * (1.0 + JITTER * jitter.clamp(-1.0, 1.0));
    Some(failed_at + TimeDelta::milliseconds((jittered * 1000.0).round() as i64))
}

/// Whether an endpoint failing since `failing_since` is to be disabled at `now`.
pub fn gives_up(failing_since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - failing_since >= DISABLE_AFTER
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn retries_back_off_over_about_three_days() {
        let mut now = at(0);
        let mut waits = Vec::new();
        for attempt in 1..MAX_ATTEMPTS {
            let next = next_attempt(attempt, now, 0.0).unwrap();
            waits.push((next - now).num_seconds());
            now = next;
        }
        assert_eq!(&waits[..5], &[5, 300, 1800, 7200, 18000]);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        let total = now - at(0);
        assert!(total > TimeDelta::days(2) + TimeDelta::hours(12) && total < TimeDelta::days(3));
        assert_eq!(next_attempt(MAX_ATTEMPTS, now, 0.0), None);
        assert_eq!(next_attempt(0, now, 0.0), None);
    }

    #[test]
    fn jitter_moves_a_retry_by_at_most_a_tenth() {
        let early = next_attempt(2, at(0), -1.0).unwrap();
        let late = next_attempt(2, at(0), 5.0).unwrap();
        assert_eq!(early, at(270));
        assert_eq!(late, at(330));
    }

    #[test]
    fn endpoints_are_disabled_after_five_days_of_failure() {
        assert!(!gives_up(at(0), at(5 * 86_400 - 1)));
        assert!(gives_up(at(0), at(5 * 86_400)));
    }
}
