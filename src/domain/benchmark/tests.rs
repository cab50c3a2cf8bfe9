use super::*;

fn group(
    industry: Option<NaceSection>,
    size: Option<SizeBand>,
    country: Option<&str>,
) -> PeerGroup {
    PeerGroup {
        industry,
        size_band: size,
        country: country.map(str::to_owned),
    }
}

#[test]
fn groups_widen_by_country_then_size_then_industry() {
    let finest = group(Some(NaceSection::C), Some(SizeBand::Small), Some("NL"));
    let chain: Vec<PeerGroup> = std::iter::successors(Some(finest), PeerGroup::broader).collect();
    assert_eq!(
        chain,
        [
            group(Some(NaceSection::C), Some(SizeBand::Small), Some("NL")),
            group(Some(NaceSection::C), Some(SizeBand::Small), None),
            group(Some(NaceSection::C), None, None),
            group(None, None, None),
        ]
    );
    // Every wider group, not only those one attribute up.
    let wider = group(Some(NaceSection::C), Some(SizeBand::Small), Some("NL")).wider();
    assert_eq!(wider.len(), 7);
    assert!(wider.contains(&group(Some(NaceSection::C), None, None)));
    assert!(wider.contains(&PeerGroup::default()));
    assert_eq!(
        group(Some(NaceSection::C), None, None).wider(),
        [PeerGroup::default()]
    );
    let everyone = PeerGroup::default();
    assert!(everyone.contains(&group(Some(NaceSection::A), None, Some("BE"))));
    assert!(!chain_member().contains(&group(Some(NaceSection::C), Some(SizeBand::Small), None)));
}

fn chain_member() -> PeerGroup {
    group(Some(NaceSection::C), Some(SizeBand::Small), Some("NL"))
}

#[test]
fn a_group_is_shown_from_k_members_unless_a_broader_one_differs_by_fewer_than_k() {
    let rules = Anonymity::new(10);
    assert!(!rules.releasable(9, &[]));
    assert!(rules.releasable(10, &[]));
    // Equal to its parent (nobody else), or at least k others besides: fine.
    assert!(rules.releasable(10, &[10, 25]));
    // A wider group with one organisation more would give that one away by difference.
    assert!(!rules.releasable(10, &[11]));
    assert!(!rules.releasable(12, &[25, 21]));
    // k never drops below five.
    assert_eq!(Anonymity::new(2).k, MIN_K);
}

#[test]
fn counts_are_published_to_the_nearest_five() {
    let rules = Anonymity::new(10);
    let published: Vec<u32> = [0, 2, 3, 10, 12, 13, 101].map(|n| rules.round(n)).to_vec();
    assert_eq!(published, [0, 0, 5, 10, 10, 15, 100]);
}

#[test]
fn buckets_are_a_twentieth_wide_and_hold_one_in_the_last() {
    assert_eq!(bucket(0.0), 0);
    assert_eq!(bucket(0.049), 0);
    assert_eq!(bucket(0.05), 1);
    assert_eq!(bucket(0.625), 12);
    assert_eq!(bucket(0.65 - 1e-12), 13, "0.65 computed a hair low");
    assert_eq!(bucket(1.0), 20);
    assert_eq!(bucket(1.5), 20);
}

/// Worked by hand: eight organisations in buckets 2, 4, 4, 6, 10, 12, 12, 20 (scores 0.10 …).
#[test]
fn quartiles_and_percentiles_on_a_hand_worked_distribution() {
    let mut histogram = Histogram::default();
    for b in [2, 4, 4, 6, 10, 12, 12, 20] {
        histogram.add(b, 1);
    }
    // Ranks ⌈0.25·8⌉ = 2, ⌈0.5·8⌉ = 4, ⌈0.75·8⌉ = 6: buckets 4, 6 and 12.
    assert_eq!(
        histogram.quartiles(),
        Some(Quartiles {
            q1: 0.2,
            median: 0.3,
            q3: 0.6
        })
    );
    // Bucket 10: four below, one level (itself counted half): 4.5 / 8 = 56.25% → 55.
    assert_eq!(histogram.percentile(10), Some(55));
    // Bucket 12: five below, two level: 6 / 8 = 75%.
    assert_eq!(histogram.percentile(12), Some(75));
    assert_eq!(histogram.percentile(0), Some(0));
    assert_eq!(Histogram::default().quartiles(), None);
}
