//! Peer benchmarks: where organisations stand on a model compared with others of their industry,
//! size and country, published only as k-anonymous aggregates.
//!
//! What is kept per organisation and model is a [`Contribution`]; what is shared across tenants
//! is only counts per cell (peer group × stage, peer group × element score bucket). From those
//! counts this module decides what may be shown ([`Anonymity`]) and computes quartiles and
//! percentiles ([`Histogram`]). No I/O.

mod nace;

pub use nace::NaceSection;

use crate::domain::assessment::SizeBand;
use crate::domain::scoring::ModelOutcome;
use crate::domain::{Model, Version};

/// Element scores are counted in buckets of 0.05: bucket `b` holds scores in `[b/20, (b+1)/20)`,
/// and 1.0 in the last. Quartiles are therefore reported on a 0.05 grid, which is also as fine
/// as a published benchmark should be.
pub const BUCKETS: usize = 21;

/// The bucket a score (0–1) is counted in.
pub fn bucket(score: f64) -> u8 {
    // A hair above the product, so that 0.65 computed as 0.6499… lands in the bucket it names.
    let scaled = (score.clamp(0.0, 1.0) * 20.0 + 1e-9).floor().min(20.0);
    // In 0..=20 after the clamp, so the conversion cannot truncate.
    scaled as u8
}

/// Who an organisation is compared with: those sharing every attribute that is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PeerGroup {
    pub industry: Option<NaceSection>,
    pub size_band: Option<SizeBand>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
}

impl PeerGroup {
    /// The next broader group: without the country, then without the size band, then without
    /// the industry; `None` for everyone.
    pub fn broader(&self) -> Option<PeerGroup> {
        let mut wider = self.clone();
        if wider.country.take().is_some() {
            return Some(wider);
        }
        if wider.size_band.take().is_some() {
            return Some(wider);
        }
        if wider.industry.take().is_some() {
            return Some(wider);
        }
        None
    }

    /// Every group that contains this one: with any of its attributes dropped (up to seven). A
    /// shown group must not differ from any of them by a handful of organisations.
    pub fn wider(&self) -> Vec<PeerGroup> {
        let mut wider = Vec::new();
        for drop in 1..8_u8 {
            let industry = drop & 1 != 0;
            let size_band = drop & 2 != 0;
            let country = drop & 4 != 0;
            let drops_something = (industry && self.industry.is_some())
                || (size_band && self.size_band.is_some())
                || (country && self.country.is_some());
            let group = PeerGroup {
                industry: if industry { None } else { self.industry },
                size_band: if size_band { None } else { self.size_band },
                country: if country { None } else { self.country.clone() },
            };
            if drops_something && !wider.contains(&group) {
                wider.push(group);
            }
        }
        wider
    }

    /// Whether an organisation with these attributes belongs to the group.
    pub fn contains(&self, member: &PeerGroup) -> bool {
        self.industry.is_none_or(|i| member.industry == Some(i))
            && self.size_band.is_none_or(|s| member.size_band == Some(s))
            && self
                .country
                .as_ref()
                .is_none_or(|c| member.country.as_ref() == Some(c))
    }
}

/// The rules that keep one organisation's results hidden in what is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anonymity {
    /// The fewest organisations a published group may have.
    pub k: u32,
}

/// Published counts are multiples of this.
pub const COUNT_GRANULARITY: u32 = 5;

/// Never fewer organisations in a published group than this, whatever is configured.
pub const MIN_K: u32 = 5;

impl Anonymity {
    pub fn new(k: u32) -> Anonymity {
        Anonymity { k: k.max(MIN_K) }
    }

    /// Whether a group may be shown, counting only organisations the reader does not hold
    /// itself (its own clients could otherwise pad a group around one other): at least k of
    /// them, and no wider group that differs from it by fewer than k. Without that second rule,
    /// a group of eleven and its subgroup of ten would reveal the eleventh by difference.
    pub fn releasable(self, count: u32, wider_counts: &[u32]) -> bool {
        count >= self.k
            && wider_counts.iter().all(|wider| {
                let rest = wider.saturating_sub(count);
                rest == 0 || rest >= self.k
            })
    }

    /// A count as published: to the nearest multiple of five (halves up).
    pub fn round(self, count: u32) -> u32 {
        (count + COUNT_GRANULARITY / 2) / COUNT_GRANULARITY * COUNT_GRANULARITY
    }
}

/// How many organisations score in each bucket of one element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: [u32; BUCKETS],
}

/// The quartiles of a distribution, on the buckets' 0.05 grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quartiles {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

impl Histogram {
    pub fn add(&mut self, bucket: u8, count: u32) {
        if let Some(slot) = self.counts.get_mut(usize::from(bucket)) {
            *slot += count;
        }
    }

    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// Nearest-rank quartiles: each is the lower edge of the bucket holding the organisation at
    /// that rank, so every published value is one some organisations share.
    pub fn quartiles(&self) -> Option<Quartiles> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let at = |share: f64| {
            let rank = (share * f64::from(total)).ceil().max(1.0);
            let mut seen = 0.0;
            for (b, count) in self.counts.iter().enumerate() {
                seen += f64::from(*count);
                if seen >= rank {
                    return b as f64 / 20.0;
                }
            }
            1.0
        };
        Some(Quartiles {
            q1: at(0.25),
            median: at(0.5),
            q3: at(0.75),
        })
    }

    /// The share of the group (whoever scores in `bucket` included) scoring below `bucket`,
    /// counting those in the same bucket half, as a whole percentage rounded to a multiple of
    /// five. `None` for an empty histogram.
    pub fn percentile(&self, bucket: u8) -> Option<u32> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let b = usize::from(bucket).min(BUCKETS - 1);
        let below: u32 = self.counts[..b].iter().sum();
        let same = self.counts[b];
        let share = (f64::from(below) + f64::from(same) / 2.0) / f64::from(total);
        let percent = (share * 20.0).round() * 5.0;
        Some(percent as u32)
    }
}

/// What one organisation adds to the benchmark of one model: its latest submitted result there.
#[derive(Clone, Debug, PartialEq)]
pub struct Contribution {
    pub model_id: String,
    pub model_version: Version,
    pub group: PeerGroup,
    /// Staged and layered models: the order of the stage reached (0 below the first).
    pub stage_order: Option<u32>,
    /// Per element: its score bucket (`None` when unknown) and whether it is in place.
    pub elements: Vec<ElementContribution>,
}

impl Contribution {
    /// What a result kept for `model` (the version it was scored at) contributes for an
    /// organisation of `group`.
    pub fn of(model: &Model, outcome: &ModelOutcome, group: PeerGroup) -> Contribution {
        let stage_order = model.kind.has_stages().then(|| {
            outcome
                .stage_id
                .as_deref()
                .and_then(|id| model.stage(id))
                .map_or(0, |stage| stage.order)
        });
        Contribution {
            model_id: outcome.model_id.to_string(),
            model_version: outcome.model_version,
            group,
            stage_order,
            elements: outcome
                .elements
                .iter()
                .map(|e| ElementContribution {
                    element_id: e.element_id.to_string(),
                    bucket: e.score.map(bucket),
                    in_place: e.in_place,
                })
                .collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementContribution {
    pub element_id: String,
    pub bucket: Option<u8>,
    pub in_place: bool,
}

#[cfg(test)]
mod tests;
