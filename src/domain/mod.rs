//! Pure domain code: the model and indicator definitions, and how a definition file becomes a
//! validated model. No I/O, no actix, no sea-orm: everything here is plain data and functions, so it
//! can be unit-, property- and benchmark-tested in isolation.

pub mod action;
pub mod assessment;
pub mod benchmark;
pub mod definition;
pub mod field_error;
pub mod idempotency;
pub mod ids;
pub mod indicator;
pub mod model;
pub mod scoring;
pub mod sector;
pub mod share_link;
pub mod tenancy;
pub mod text;
pub mod text_enum;
pub mod validate;
pub mod version;
pub mod webhook;

pub use action::{Action, ActionBank, Effort, Established, Owner, Provenance};
pub use field_error::FieldError;
pub use indicator::{Capability, Indicator, IndicatorBank};
pub use model::{Element, ElementRole, Model, ModelKind, Orientation, Stage, WeightedIndicator};
pub use sector::{Sector, Sectors};
pub use text::{Lang, Text};
pub use validate::{DefinitionError, parse_action_bank, parse_indicator_bank, parse_model};
pub use version::Version;
