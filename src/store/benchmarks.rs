//! Peer benchmarks in the database. A tenant's clients' contributions are tenant-owned rows (so
//! that they can be replaced and withdrawn); every change to them adds to or takes from counts
//! per cell, in tables that carry no tenant or client id and that anyone may read. Readers of a
//! benchmark only ever read those counts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Select, Set,
};
use serde::{Deserialize, Serialize};

use super::entities::{
    benchmark_contribution as contribution, benchmark_element_cell as element_cell,
    benchmark_group as group_cell, benchmark_stage_cell as stage_cell, organisation,
};
use super::{Store, StoreError, TenantTx};
use crate::domain::Version;
use crate::domain::assessment::Organisation;
use crate::domain::benchmark::{Contribution, ElementContribution, PeerGroup};
use crate::domain::ids::OrganisationId;

/// The contributions repository of one tenant transaction.
pub struct Contributions<'t>(pub(super) &'t TenantTx);

#[derive(Serialize, Deserialize)]
struct StoredElement {
    element_id: String,
    bucket: Option<u8>,
    in_place: bool,
}

impl Contributions<'_> {
    /// A client's contributions, one per model.
    #[tracing::instrument(level = "debug", skip_all, fields(%client))]
    pub async fn of(&self, client: OrganisationId) -> Result<Vec<Contribution>, StoreError> {
        contribution::Entity::find()
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .filter(contribution::Column::ClientId.eq(client.0))
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|row| contribution_of(row).map(|(_, c)| c))
            .collect()
    }

    /// The tenant's own contributions to one model version: what a reader's counts must leave out.
    #[tracing::instrument(level = "debug", skip_all, fields(%model_id))]
    pub async fn of_model(
        &self,
        model_id: &str,
        version: Version,
    ) -> Result<Vec<Contribution>, StoreError> {
        contribution::Entity::find()
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .filter(contribution::Column::ModelId.eq(model_id))
            .filter(contribution::Column::ModelVersion.eq(version.to_string()))
            .all(&self.0.txn)
            .await?
            .into_iter()
            .map(|row| contribution_of(row).map(|(_, c)| c))
            .collect()
    }

    /// Makes `contribution` the client's for its model, replacing (and uncounting) an earlier one.
    #[tracing::instrument(level = "debug", skip_all, fields(%client, model = %contribution.model_id))]
    pub async fn put(
        &self,
        client: OrganisationId,
        contribution: &Contribution,
        submitted_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let earlier = self
            .of(client)
            .await?
            .into_iter()
            .find(|c| c.model_id == contribution.model_id);
        let mut deltas = Deltas::default();
        if let Some(earlier) = &earlier {
            deltas.count(earlier, -1);
        }
        deltas.count(contribution, 1);
        let elements = contribution
            .elements
            .iter()
            .map(|e| StoredElement {
                element_id: e.element_id.clone(),
                bucket: e.bucket,
                in_place: e.in_place,
            })
            .collect::<Vec<_>>();
        let (industry, size_band, country) = key(&contribution.group);
        let row = contribution::ActiveModel {
            tenant_id: Set(self.0.tenant.0),
            client_id: Set(client.0),
            model_id: Set(contribution.model_id.clone()),
            model_version: Set(contribution.model_version.to_string()),
            industry: Set(industry),
            size_band: Set(size_band),
            country: Set(country),
            stage_order: Set(contribution.stage_order.and_then(|o| i32::try_from(o).ok())),
            elements: Set(
                serde_json::to_value(elements).map_err(|e| StoreError::Corrupt(e.to_string()))?
            ),
            submitted_at: Set(submitted_at),
        };
        contribution::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    contribution::Column::TenantId,
                    contribution::Column::ClientId,
                    contribution::Column::ModelId,
                ])
                .update_columns([
                    contribution::Column::ModelVersion,
                    contribution::Column::Industry,
                    contribution::Column::SizeBand,
                    contribution::Column::Country,
                    contribution::Column::StageOrder,
                    contribution::Column::Elements,
                    contribution::Column::SubmittedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(&self.0.txn)
            .await?;
        deltas.apply(&self.0.txn).await
    }

    /// Locks the client's row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite runs
    /// one writer at a time anyway): two changes to one client's contributions at once would
    /// both uncount the same earlier one. Returns the client as locked; `None` when it no longer
    /// exists.
    #[tracing::instrument(level = "debug", skip_all, fields(%client))]
    pub async fn lock_client(
        &self,
        client: OrganisationId,
    ) -> Result<Option<Organisation>, StoreError> {
        let mut query = organisation::Entity::find()
            .filter(organisation::Column::TenantId.eq(self.0.tenant.0))
            .filter(organisation::Column::Id.eq(client.0));
        if self.0.txn.get_database_backend() == DbBackend::Postgres {
            query = query.lock_exclusive();
        }
        query
            .one(&self.0.txn)
            .await?
            .map(Organisation::try_from)
            .transpose()
    }

    /// Moves a client's contributions to its new peer group (its industry, size or country changed).
    #[tracing::instrument(level = "debug", skip_all, fields(%client))]
    pub async fn regroup(
        &self,
        client: OrganisationId,
        group: &PeerGroup,
    ) -> Result<(), StoreError> {
        let mut deltas = Deltas::default();
        for mut earlier in self.of(client).await? {
            deltas.count(&earlier, -1);
            earlier.group = group.clone();
            deltas.count(&earlier, 1);
        }
        deltas.apply(&self.0.txn).await?;
        let (industry, size_band, country) = key(group);
        contribution::Entity::update_many()
            .col_expr(contribution::Column::Industry, Expr::value(industry))
            .col_expr(contribution::Column::SizeBand, Expr::value(size_band))
            .col_expr(contribution::Column::Country, Expr::value(country))
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .filter(contribution::Column::ClientId.eq(client.0))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    /// Withdraws a client's contributions (the client is deleted).
    #[tracing::instrument(level = "debug", skip_all, fields(%client))]
    pub async fn withdraw(&self, client: OrganisationId) -> Result<(), StoreError> {
        let mut deltas = Deltas::default();
        for earlier in self.of(client).await? {
            deltas.count(&earlier, -1);
        }
        deltas.apply(&self.0.txn).await?;
        contribution::Entity::delete_many()
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .filter(contribution::Column::ClientId.eq(client.0))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }

    /// Withdraws every contribution of the tenant (it stopped sharing).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn withdraw_all(&self) -> Result<(), StoreError> {
        let rows = contribution::Entity::find()
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .all(&self.0.txn)
            .await?;
        let mut deltas = Deltas::default();
        for row in rows {
            let (_, earlier) = contribution_of(row)?;
            deltas.count(&earlier, -1);
        }
        deltas.apply(&self.0.txn).await?;
        contribution::Entity::delete_many()
            .filter(contribution::Column::TenantId.eq(self.0.tenant.0))
            .exec(&self.0.txn)
            .await?;
        Ok(())
    }
}

/// A peer cell's model, version, industry, size band and country, as stored.
type GroupKey = (String, String, String, String, String);

/// One count row: of a group, of a stage in it, or of an element's bucket in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CellKey {
    Group(GroupKey),
    Stage(GroupKey, i32),
    Element(GroupKey, String, i16, bool),
}

/// Changes to counts, summed per cell and applied in one order: two transactions then never
/// wait on each other's cells in opposite orders (a deadlock), and a cell left unchanged by a
/// replacement is not written at all.
#[derive(Default)]
struct Deltas(std::collections::BTreeMap<CellKey, i32>);

impl Deltas {
    /// Adds `delta` (1 or -1) to every cell `contribution` counts in.
    fn count(&mut self, contribution: &Contribution, delta: i32) {
        let (industry, size_band, country) = key(&contribution.group);
        let group: GroupKey = (
            contribution.model_id.clone(),
            contribution.model_version.to_string(),
            industry,
            size_band,
            country,
        );
        *self.0.entry(CellKey::Group(group.clone())).or_default() += delta;
        if let Some(order) = contribution.stage_order.and_then(|o| i32::try_from(o).ok()) {
            *self
                .0
                .entry(CellKey::Stage(group.clone(), order))
                .or_default() += delta;
        }
        for element in &contribution.elements {
            if let Some(bucket) = element.bucket {
                let cell = CellKey::Element(
                    group.clone(),
                    element.element_id.clone(),
                    i16::from(bucket),
                    element.in_place,
                );
                *self.0.entry(cell).or_default() += delta;
            }
        }
    }

    /// Writes the changes; a cell counted down to nothing is removed.
    async fn apply<C: ConnectionTrait>(self, db: &C) -> Result<(), StoreError> {
        for (cell, delta) in self.0 {
            if delta == 0 {
                continue;
            }
            add(db, &cell, delta).await?;
            if delta < 0 {
                remove_if_empty(db, &cell).await?;
            }
        }
        Ok(())
    }
}

impl CellKey {
    fn table(&self) -> &'static str {
        match self {
            CellKey::Group(_) => "benchmark_groups",
            CellKey::Stage(..) => "benchmark_stage_cells",
            CellKey::Element(..) => "benchmark_element_cells",
        }
    }

    /// The row's key, column by column.
    fn columns(&self) -> Vec<(&'static str, sea_orm::Value)> {
        let (group, rest): (&GroupKey, Vec<(&'static str, sea_orm::Value)>) = match self {
            CellKey::Group(group) => (group, Vec::new()),
            CellKey::Stage(group, order) => (group, vec![("stage_order", (*order).into())]),
            CellKey::Element(group, element_id, bucket, in_place) => (
                group,
                vec![
                    ("element_id", element_id.clone().into()),
                    ("bucket", (*bucket).into()),
                    ("in_place", (*in_place).into()),
                ],
            ),
        };
        let (model_id, model_version, industry, size_band, country) = group.clone();
        let mut columns: Vec<(&'static str, sea_orm::Value)> = vec![
            ("model_id", model_id.into()),
            ("model_version", model_version.into()),
            ("industry", industry.into()),
            ("size_band", size_band.into()),
            ("country", country.into()),
        ];
        columns.extend(rest);
        columns
    }
}

/// Adds `delta` to one count row, creating it when missing. The three count tables differ only
/// in their key columns, so one statement shape serves them all.
async fn add<C: ConnectionTrait>(db: &C, cell: &CellKey, delta: i32) -> Result<(), StoreError> {
    let table = Alias::new(cell.table());
    let columns = cell.columns();
    let names: Vec<Alias> = columns.iter().map(|(name, _)| Alias::new(*name)).collect();
    let mut values: Vec<SimpleExpr> = columns.into_iter().map(|(_, v)| Expr::val(v)).collect();
    values.push(Expr::val(delta));
    let insert = Query::insert()
        .into_table(table.clone())
        .columns(names.iter().cloned().chain([Alias::new("organisations")]))
        .values(values)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?
        .on_conflict(
            OnConflict::columns(names)
                .value(
                    Alias::new("organisations"),
                    Expr::col((table, Alias::new("organisations"))).add(delta),
                )
                .to_owned(),
        )
        .to_owned();
    let statement = db.get_database_backend().build(&insert);
    db.execute_raw(statement).await?;
    Ok(())
}

/// Removes one count row when it counts nobody any more.
async fn remove_if_empty<C: ConnectionTrait>(db: &C, cell: &CellKey) -> Result<(), StoreError> {
    let mut delete = Query::delete();
    delete.from_table(Alias::new(cell.table()));
    for (name, value) in cell.columns() {
        delete.and_where(Expr::col(Alias::new(name)).eq(value));
    }
    delete.and_where(Expr::col(Alias::new("organisations")).lte(0));
    let statement = db.get_database_backend().build(&delete);
    db.execute_raw(statement).await?;
    Ok(())
}

/// A peer group's attributes as cell keys: '' for an attribute the organisation lacks.
fn key(group: &PeerGroup) -> (String, String, String) {
    (
        group.industry.map_or("", |i| i.code()).to_owned(),
        group.size_band.map_or("", |s| s.as_str()).to_owned(),
        group.country.clone().unwrap_or_default(),
    )
}

fn group_of(industry: &str, size_band: &str, country: &str) -> Result<PeerGroup, StoreError> {
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(PeerGroup {
        industry: optional(industry)
            .map(|i| i.parse())
            .transpose()
            .map_err(StoreError::Corrupt)?,
        size_band: optional(size_band)
            .map(|s| s.parse())
            .transpose()
            .map_err(StoreError::Corrupt)?,
        country: optional(country),
    })
}

fn contribution_of(row: contribution::Model) -> Result<(OrganisationId, Contribution), StoreError> {
    let elements: Vec<StoredElement> =
        serde_json::from_value(row.elements).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok((
        OrganisationId(row.client_id),
        Contribution {
            group: group_of(&row.industry, &row.size_band, &row.country)?,
            model_id: row.model_id,
            model_version: row
                .model_version
                .parse::<Version>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            stage_order: row.stage_order.and_then(|o| u32::try_from(o).ok()),
            elements: elements
                .into_iter()
                .map(|e| ElementContribution {
                    element_id: e.element_id,
                    bucket: e.bucket,
                    in_place: e.in_place,
                })
                .collect(),
        },
    ))
}

/// Counts of one cell kind, read across tenants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<K> {
    pub group: PeerGroup,
    pub key: K,
    pub organisations: u32,
}

/// Narrows a cell query to the organisations of `group`.
fn within<E: EntityTrait>(
    mut query: Select<E>,
    group: &PeerGroup,
    industry: E::Column,
    size_band: E::Column,
    country: E::Column,
) -> Select<E> {
    let (i, s, c) = key(group);
    if group.industry.is_some() {
        query = query.filter(industry.eq(i));
    }
    if group.size_band.is_some() {
        query = query.filter(size_band.eq(s));
    }
    if group.country.is_some() {
        query = query.filter(country.eq(c));
    }
    query
}

impl Store {
    /// How many organisations each peer cell of a model version holds: few rows (industries ×
    /// sizes × countries), from which every group's size follows.
    #[tracing::instrument(level = "debug", skip_all, fields(%model_id))]
    pub async fn benchmark_groups(
        &self,
        model_id: &str,
        version: Version,
    ) -> Result<Vec<Cell<()>>, StoreError> {
        group_cell::Entity::find()
            .filter(group_cell::Column::ModelId.eq(model_id))
            .filter(group_cell::Column::ModelVersion.eq(version.to_string()))
            .all(self.global())
            .await?
            .into_iter()
            .map(|row| {
                Ok(Cell {
                    group: group_of(&row.industry, &row.size_band, &row.country)?,
                    key: (),
                    organisations: u32::try_from(row.organisations).unwrap_or(0),
                })
            })
            .collect()
    }

    /// A group's organisations per stage order.
    #[tracing::instrument(level = "debug", skip_all, fields(%model_id))]
    pub async fn benchmark_stages(
        &self,
        model_id: &str,
        version: Version,
        group: &PeerGroup,
    ) -> Result<Vec<(u32, u32)>, StoreError> {
        use stage_cell::Column;
        let query = stage_cell::Entity::find()
            .filter(Column::ModelId.eq(model_id))
            .filter(Column::ModelVersion.eq(version.to_string()));
        let rows: Vec<(i32, i64)> = within(
            query,
            group,
            Column::Industry,
            Column::SizeBand,
            Column::Country,
        )
        .select_only()
        .column(Column::StageOrder)
        .column_as(Expr::col(Column::Organisations).sum(), "organisations")
        .group_by(Column::StageOrder)
        .into_tuple()
        .all(self.global())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(order, n)| {
                (
                    u32::try_from(order).unwrap_or(0),
                    u32::try_from(n).unwrap_or(0),
                )
            })
            .collect())
    }

    /// A group's organisations per element, score bucket and whether in place.
    #[tracing::instrument(level = "debug", skip_all, fields(%model_id))]
    pub async fn benchmark_elements(
        &self,
        model_id: &str,
        version: Version,
        group: &PeerGroup,
    ) -> Result<Vec<(String, u8, bool, u32)>, StoreError> {
        use element_cell::Column;
        let query = element_cell::Entity::find()
            .filter(Column::ModelId.eq(model_id))
            .filter(Column::ModelVersion.eq(version.to_string()));
        let rows: Vec<(String, i16, bool, i64)> = within(
            query,
            group,
            Column::Industry,
            Column::SizeBand,
            Column::Country,
        )
        .select_only()
        .column(Column::ElementId)
        .column(Column::Bucket)
        .column(Column::InPlace)
        .column_as(Expr::col(Column::Organisations).sum(), "organisations")
        .group_by(Column::ElementId)
        .group_by(Column::Bucket)
        .group_by(Column::InPlace)
        .into_tuple()
        .all(self.global())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(element, bucket, in_place, n)| {
                (
                    element,
                    u8::try_from(bucket).unwrap_or(0),
                    in_place,
                    u32::try_from(n).unwrap_or(0),
                )
            })
            .collect())
    }
}
