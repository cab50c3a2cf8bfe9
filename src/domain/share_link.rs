//! Share links: read-only access to one assessment's report, in one language, for whoever holds
//! the link, until it expires or is revoked.

use chrono::{DateTime, Duration, Utc};

use crate::domain::Lang;
use crate::domain::ids::{ApiClientId, AssessmentId, ShareLinkId};

/// The longest a link may live: a report handed to a client's board should not stay readable
/// for ever by whoever the link was forwarded to.
pub fn max_lifetime() -> Duration {
    Duration::days(365)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareLink {
    pub id: ShareLinkId,
    pub assessment_id: AssessmentId,
    /// The report's language: holders of the link send no `Accept-Language` of the agency's.
    pub language: Lang,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// The API client that created the link (`None` for an operator).
    pub created_by: Option<ApiClientId>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Whether a link shows its report now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareLinkState {
    Active,
    Expired,
    Revoked,
}

impl ShareLink {
    /// Revocation wins over expiry: a revoked link says so even once it would have expired.
    pub fn state(&self, now: DateTime<Utc>) -> ShareLinkState {
        if self.revoked_at.is_some() {
            ShareLinkState::Revoked
        } else if now >= self.expires_at {
            ShareLinkState::Expired
        } else {
            ShareLinkState::Active
        }
    }
}

/// Checks a requested expiry: in the future and within [`max_lifetime`].
pub fn check_expiry(expires_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), String> {
    if expires_at <= now {
        return Err("must be in the future".to_owned());
    }
    if expires_at > now + max_lifetime() {
        return Err(format!(
            "must be at most {} days ahead",
            max_lifetime().num_days()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(expires_at: DateTime<Utc>, revoked_at: Option<DateTime<Utc>>) -> ShareLink {
        ShareLink {
            id: ShareLinkId::generate(),
            assessment_id: AssessmentId::generate(),
            language: Lang::Nl,
            expires_at,
            created_at: expires_at - Duration::days(1),
            created_by: None,
            revoked_at,
        }
    }

    #[test]
    fn a_link_is_active_until_it_expires_or_is_revoked() {
        let now = Utc::now();
        let later = now + Duration::hours(1);
        assert_eq!(link(later, None).state(now), ShareLinkState::Active);
        assert_eq!(link(now, None).state(now), ShareLinkState::Expired);
        assert_eq!(link(later, Some(now)).state(now), ShareLinkState::Revoked);
        assert_eq!(
            link(now - Duration::hours(1), Some(now)).state(now),
            ShareLinkState::Revoked
        );
    }

    #[test]
    fn expiry_lies_ahead_within_a_year() {
        let now = Utc::now();
        assert!(check_expiry(now + Duration::minutes(1), now).is_ok());
        assert!(check_expiry(now + max_lifetime(), now).is_ok());
        assert!(check_expiry(now, now).is_err());
        assert!(check_expiry(now + max_lifetime() + Duration::seconds(1), now).is_err());
    }
}
