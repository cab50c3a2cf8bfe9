//! Webhooks: endpoints with their secrets, the outbox of events, and deliveries. Tenant-owned,
//! except for the workers' claim of due deliveries across tenants.

mod claim;
mod deliveries;
mod endpoints;
mod events;

pub use deliveries::AttemptRecord;
pub use deliveries::Deliveries;
pub use endpoints::Endpoints;
pub use events::Events;
