//! The sector a client organisation works in (DOMAIN.md, "Sector"): some practices mean nothing to
//! some sectors (share of voice to a municipality, sales to a council), so indicators and actions
//! name the sectors they do not fit, and scoring and advice leave those out.

use crate::domain::text_enum::text_enum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sector {
    /// Government and publicly run services.
    Public,
    /// Charities, associations, foundations, housing corporations.
    Nonprofit,
    Business,
}

text_enum!(Sector {
    Public => "public",
    Nonprofit => "nonprofit",
    Business => "business",
});

/// A set of sectors (an indicator's or action's `not_for`), one bit per sector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sectors(u8);

impl Sectors {
    pub const NONE: Sectors = Sectors(0);

    pub fn with(self, sector: Sector) -> Sectors {
        Sectors(self.0 | Self::bit(sector))
    }

    /// Whether `sector` is in the set; nothing is excluded when the sector is not known.
    pub fn excludes(self, sector: Option<Sector>) -> bool {
        sector.is_some_and(|s| self.0 & Self::bit(s) != 0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The sectors in the set, in [`Sector::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Sector> {
        Sector::ALL
            .iter()
            .copied()
            .filter(move |s| self.0 & Self::bit(*s) != 0)
    }

    fn bit(sector: Sector) -> u8 {
        match sector {
            Sector::Public => 1,
            Sector::Nonprofit => 2,
            Sector::Business => 4,
        }
    }
}

impl FromIterator<Sector> for Sectors {
    fn from_iter<I: IntoIterator<Item = Sector>>(iter: I) -> Self {
        iter.into_iter().fold(Sectors::NONE, Sectors::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_excludes_only_its_sectors_and_nothing_without_a_sector() {
        let set: Sectors = [Sector::Public].into_iter().collect();
        assert!(set.excludes(Some(Sector::Public)));
        assert!(!set.excludes(Some(Sector::Business)));
        assert!(!set.excludes(None));
        assert_eq!(set.iter().collect::<Vec<_>>(), [Sector::Public]);
    }
}
