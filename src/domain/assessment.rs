//! The organisations an agency assesses, and assessments of them on chosen models.

use chrono::{DateTime, Utc};

use crate::domain::benchmark::{NaceSection, PeerGroup};
use crate::domain::ids::{AssessmentId, OrganisationId, RespondentId};
use crate::domain::scoring::ModelOutcome;
use crate::domain::scoring::cross_model::CrossInsight;
use crate::domain::scoring::roadmap::RoadmapEntry;
use crate::domain::text_enum::text_enum;
use crate::domain::{Sector, Version};

/// An organisation an agency assesses (a "client" in the API; not an API client).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    /// A free-text description of the industry, as the agency puts it.
    pub industry: Option<String>,
    /// The industry peers are grouped by.
    pub nace_section: Option<NaceSection>,
    pub size_band: Option<SizeBand>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<String>,
    pub notes: Option<String>,
    /// Leaves out of its questionnaires and advice what does not fit the sector; unknown
    /// leaves nothing out.
    pub sector: Option<Sector>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Organisation {
    /// The narrowest group of peers: those of the same industry section, size band and country.
    pub fn peer_group(&self) -> PeerGroup {
        PeerGroup {
            industry: self.nace_section,
            size_band: self.size_band,
            country: self.country.clone(),
        }
    }
}

/// The fields of an organisation a caller sets, validated; `None` leaves a field unchanged on
/// update, `Some(None)` clears it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganisationFields {
    pub name: Option<String>,
    pub industry: Option<Option<String>>,
    pub nace_section: Option<Option<NaceSection>>,
    pub size_band: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub sector: Option<Option<Sector>>,
}

/// Organisation size by headcount, after the EU's SME bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SizeBand {
    /// Fewer than 10 people.
    Micro,
    /// 10–49.
    Small,
    /// 50–249.
    Medium,
    /// 250 or more.
    Large,
}

text_enum!(SizeBand {
    Micro => "micro",
    Small => "small",
    Medium => "medium",
    Large => "large",
});

/// An assessment of an organisation on some models, each pinned to the version current when the
/// assessment was opened, so that its results can always be reproduced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub id: AssessmentId,
    pub organisation_id: OrganisationId,
    pub title: String,
    pub models: Vec<ChosenModel>,
    /// The assessment's own choice of sector; `None` follows the organisation's.
    pub sector: Option<Sector>,
    pub status: AssessmentStatus,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChosenModel {
    pub model_id: String,
    #[serde(with = "version_text")]
    pub version: Version,
    /// The target stage (ambition), if any.
    pub target: Option<String>,
    /// Focus models: the elements pursued, if chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Vec<String>>,
}

impl Assessment {
    /// Answers may be saved, respondents added and the assessment submitted only while it is open.
    pub fn is_open(&self) -> bool {
        self.status == AssessmentStatus::Open
    }

    /// The sector its questionnaire and advice are for: its own choice, else the organisation's.
    pub fn sector_for(&self, organisation: &Organisation) -> Option<Sector> {
        self.sector.or(organisation.sector)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessmentStatus {
    /// Answers may be saved.
    Open,
    /// Answers are frozen and the results stored.
    Submitted,
}

text_enum!(AssessmentStatus { Open => "open", Submitted => "submitted" });

/// Someone at the client organisation who answers the questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Respondent {
    pub id: RespondentId,
    pub assessment_id: AssessmentId,
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// What a submission stored: every chosen model's outcome, scored at its pinned version.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentResults<'m> {
    pub assessment_id: AssessmentId,
    pub submitted_at: DateTime<Utc>,
    /// How many respondents' answers the results aggregate.
    pub respondents: usize,
    /// The sector the answers were scored for (`None`: unknown, nothing left out).
    pub sector: Option<Sector>,
    /// One outcome per model, in the assessment's order.
    pub models: Vec<ModelOutcome<'m>>,
    /// One plan across the models (empty for results kept before roadmaps existed).
    pub roadmap: Vec<RoadmapEntry<'m>>,
    /// What the models show together (empty for results kept before these existed).
    pub insights: Vec<CrossInsight<'m>>,
}

mod version_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::domain::Version;

    pub fn serialize<S: Serializer>(version: &Version, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(version)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Version, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}
