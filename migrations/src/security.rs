//! PostgreSQL statements shared by migrations: the grants and row-level security that every
//! tenant-owned table gets. Migrations only ever add to this, so earlier migrations keep meaning
//! what they meant when they ran.

/// The role the service's connections switch to: it owns nothing, so row-level security applies.
pub const APP_ROLE: &str = "smm_app";

/// Rows belong to the tenant named by the transaction's `smm.tenant_id`. Unset, the setting
/// reads as NULL, or as '' once it has been used in the session: both match no row.
pub const TENANT_MATCH: &str =
    "tenant_id = NULLIF(current_setting('smm.tenant_id', true), '')::uuid";

/// Grants to the application role and forced row-level security with one policy, `condition`.
pub fn tenant_isolation(table: &str, privileges: &str, condition: &str) -> Vec<String> {
    vec![
        format!("GRANT {privileges} ON {table} TO {APP_ROLE}"),
        format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition})"
        ),
    ]
}
