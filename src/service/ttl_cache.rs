//! A small map whose entries expire: per-replica caching of values that may be a little stale
//! (peer benchmarks change with every submission, but a minute's delay changes no conclusion).
//! Bounded: when full, expired entries go first, then everything.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<K, (Instant, Arc<V>)>>,
}

impl<K: Eq + Hash + Clone, V> TtlCache<K, V> {
    /// A cache keeping entries for `ttl` (never, when zero), at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlCache {
            ttl,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The fresh cached value for `key`, if any.
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Keeps `value` for `key`, and returns it shared.
    pub fn put(&self, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        if self.ttl.is_zero() {
            return value;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity {
                entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
                if entries.len() >= self.capacity {
                    entries.clear();
                }
            }
            entries.insert(key, (Instant::now(), Arc::clone(&value)));
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_live_for_the_ttl_and_the_map_stays_bounded() {
        let cache = TtlCache::new(Duration::from_secs(60), 2);
        cache.put(1, "one");
        assert_eq!(cache.get(&1).as_deref(), Some(&"one"));
        cache.put(2, "two");
        cache.put(3, "three");
        assert_eq!(cache.get(&3).as_deref(), Some(&"three"));
        assert!(cache.get(&1).is_none(), "full: cleared before the third");

        let never = TtlCache::new(Duration::ZERO, 2);
        never.put(1, "one");
        assert!(never.get(&1).is_none());
    }
}
