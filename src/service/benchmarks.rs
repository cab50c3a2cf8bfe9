//! Peer benchmarks: what a tenant's clients contribute (kept in step with submissions, client
//! changes and the tenant's choice to share), and what an opted-in tenant may read: k-anonymous
//! aggregates of its peers, and a client's position among them.
//!
//! What is shown is decided per reader: the reader's own clients are left out of every count that
//! decides whether a group (or an element's scores) may be shown, so that a tenant cannot pad a
//! group around one organisation of another tenant.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::Error;
use super::ttl_cache::TtlCache;
use crate::catalog::Catalog;
use crate::domain::assessment::{AssessmentResults, Organisation};
use crate::domain::benchmark::{Anonymity, Contribution, Histogram, PeerGroup, Quartiles};
use crate::domain::ids::OrganisationId;
use crate::domain::tenancy::TenantId;
use crate::domain::{Model, Version};
use crate::store::benchmarks::Cell;
use crate::store::{Keyset, Store, TenantTx};

/// Adds a submission's results to the benchmark, if the tenant shares: for each model, the
/// client's contribution becomes this result.
pub(super) async fn contribute(
    tx: &TenantTx,
    catalog: &Catalog,
    organisation: OrganisationId,
    results: &AssessmentResults<'_>,
) -> Result<(), Error> {
    // Shared lock: an opt-in or opt-out waits for this submission, and this one for it.
    let sharing = tx
        .tenant()
        .lock(true)
        .await?
        .is_some_and(|t| t.benchmark_sharing);
    if !sharing {
        return Ok(());
    }
    // The client's row, locked, gives its attributes: a concurrent change of its peer group waits.
    let organisation = tx
        .benchmark_contributions()
        .lock_client(organisation)
        .await?
        .ok_or_else(|| Error::NotFound(format!("there is no client {organisation}")))?;
    put_results(tx, catalog, &organisation, results).await
}

async fn put_results(
    tx: &TenantTx,
    catalog: &Catalog,
    organisation: &Organisation,
    results: &AssessmentResults<'_>,
) -> Result<(), Error> {
    for outcome in &results.models {
        let Some(model) = catalog.version(&outcome.model_id, outcome.model_version) else {
            continue;
        };
        let contribution = Contribution::of(model, outcome, organisation.peer_group());
        tx.benchmark_contributions()
            .put(organisation.id, &contribution, results.submitted_at)
            .await?;
    }
    Ok(())
}

/// Contributes every client's latest result per model: the tenant (locked by the caller) has
/// just opted in.
pub(super) async fn contribute_all(tx: &TenantTx, catalog: &Catalog) -> Result<(), Error> {
    let mut after = None;
    loop {
        let page = tx
            .organisations()
            .list(Keyset { after, limit: 100 })
            .await?;
        for organisation in &page {
            let contributions = tx.benchmark_contributions();
            if contributions.lock_client(organisation.id).await?.is_none() {
                continue;
            }
            // Oldest first, so each model keeps its latest result: one contribution per model.
            let submitted = tx.results().of_organisation(organisation.id, 100).await?;
            let mut latest = BTreeMap::new();
            for (_, results) in &submitted {
                for outcome in &results.models {
                    latest.insert(outcome.model_id.as_ref(), (outcome, results.submitted_at));
                }
            }
            for (outcome, submitted_at) in latest.into_values() {
                let Some(model) = catalog.version(&outcome.model_id, outcome.model_version) else {
                    continue;
                };
                let contribution = Contribution::of(model, outcome, organisation.peer_group());
                tx.benchmark_contributions()
                    .put(organisation.id, &contribution, submitted_at)
                    .await?;
            }
        }
        match page.last() {
            Some(last) if page.len() == 100 => after = Some(last.id.0),
            _ => return Ok(()),
        }
    }
}

/// What a benchmark shows for one model.
#[derive(Debug)]
pub struct ModelBenchmark<'c> {
    pub model: &'c Model,
    pub requested: PeerGroup,
    /// The requested group's figures; `None` when it is too small to show.
    pub figures: Option<GroupFigures>,
    /// When the requested group is too small: the first broader group that may be shown.
    pub broader: Option<PeerGroup>,
}

/// The published figures of a peer group: counts to the nearest five, quartiles on a 0.05 grid.
#[derive(Debug)]
pub struct GroupFigures {
    pub organisations: u32,
    /// Staged and layered models: organisations per stage order (0 below the first stage).
    pub stages: Vec<(u32, u32)>,
    pub elements: Vec<ElementFigures>,
}

#[derive(Debug)]
pub struct ElementFigures {
    pub element_id: String,
    /// Organisations with the element in place; `None` (like the quartiles) when fewer than k
    /// organisations other than the reader's have a score for it.
    pub in_place: Option<u32>,
    pub quartiles: Option<Quartiles>,
}

/// The anonymity rules and the per-replica caches of what benchmarks read. Cached counts may lag
/// submissions by the cache's lifetime; a benchmark is no less true for that.
pub struct Benchmarks {
    pub rules: Anonymity,
    sizes: TtlCache<(String, Version), GroupSizes>,
    cells: TtlCache<(String, Version, PeerGroup), GroupCells>,
}

/// A group's counts: its size, organisations per stage order, and per element, bucket and
/// in-place. Read together, so that the figures of one response agree with one another.
struct GroupCells {
    organisations: u32,
    stages: Vec<(u32, u32)>,
    elements: Vec<(String, u8, bool, u32)>,
}

impl Benchmarks {
    /// `ttl` zero turns caching off.
    pub fn new(rules: Anonymity, ttl: Duration) -> Benchmarks {
        Benchmarks {
            rules,
            sizes: TtlCache::new(ttl, 256),
            cells: TtlCache::new(ttl, 4096),
        }
    }

    async fn sizes(&self, store: &Store, model: &Model) -> Result<Arc<GroupSizes>, Error> {
        let key = (model.id.clone(), model.version);
        if let Some(sizes) = self.sizes.get(&key) {
            return Ok(sizes);
        }
        let sizes = GroupSizes(store.benchmark_groups(&model.id, model.version).await?);
        Ok(self.sizes.put(key, sizes))
    }

    async fn cells(
        &self,
        store: &Store,
        model: &Model,
        group: &PeerGroup,
    ) -> Result<Arc<GroupCells>, Error> {
        let key = (model.id.clone(), model.version, group.clone());
        if let Some(cells) = self.cells.get(&key) {
            return Ok(cells);
        }
        // The group's size is read again with its cells rather than taken from the (possibly
        // older) cached sizes, so that a response's count and distribution agree.
        let sizes = GroupSizes(store.benchmark_groups(&model.id, model.version).await?);
        let cells = GroupCells {
            organisations: sizes.of(group),
            stages: store
                .benchmark_stages(&model.id, model.version, group)
                .await?,
            elements: store
                .benchmark_elements(&model.id, model.version, group)
                .await?,
        };
        Ok(self.cells.put(key, cells))
    }
}

/// The sizes of every group of a model version, from its cells.
struct GroupSizes(Vec<Cell<()>>);

impl GroupSizes {
    fn of(&self, group: &PeerGroup) -> u32 {
        self.0
            .iter()
            .filter(|cell| group.contains(&cell.group))
            .map(|cell| cell.organisations)
            .sum()
    }
}

/// A reader's view: the group sizes, less the reader's own clients.
struct OthersView<'a> {
    sizes: &'a GroupSizes,
    own: &'a [Contribution],
    rules: Anonymity,
}

impl OthersView<'_> {
    fn others(&self, group: &PeerGroup) -> u32 {
        let own = self.own.iter().filter(|c| group.contains(&c.group)).count();
        self.sizes
            .of(group)
            .saturating_sub(u32::try_from(own).unwrap_or(u32::MAX))
    }

    fn releasable(&self, group: &PeerGroup) -> bool {
        let wider: Vec<u32> = group.wider().iter().map(|w| self.others(w)).collect();
        self.rules.releasable(self.others(group), &wider)
    }

    /// The group itself when it may be shown, else the first broader one that may.
    fn shown(&self, group: &PeerGroup) -> Option<PeerGroup> {
        std::iter::successors(Some(group.clone()), PeerGroup::broader).find(|g| self.releasable(g))
    }

    /// Whether the scores of `element` in `group` may be shown: at least k organisations other
    /// than the reader's have one.
    fn element_shown(&self, group: &PeerGroup, element_id: &str, scored: u32) -> bool {
        let own = self
            .own
            .iter()
            .filter(|c| group.contains(&c.group))
            .filter(|c| {
                c.elements
                    .iter()
                    .any(|e| e.element_id == element_id && e.bucket.is_some())
            })
            .count();
        scored.saturating_sub(u32::try_from(own).unwrap_or(u32::MAX)) >= self.rules.k
    }
}

/// A tenant that does not share may not read: give to get.
async fn opted_in(tx: &TenantTx) -> Result<(), Error> {
    if tx
        .tenant()
        .find()
        .await?
        .is_some_and(|t| t.benchmark_sharing)
    {
        Ok(())
    } else {
        Err(Error::Refused(
            "peer benchmarks are for tenants that share their own clients' results: ask the \
             platform operator to turn benchmark sharing on"
                .to_owned(),
        ))
    }
}

/// The reader's own contributions to each model's latest version.
async fn own(tx: &TenantTx, models: &[&Model]) -> Result<Vec<Vec<Contribution>>, Error> {
    let mut own = Vec::with_capacity(models.len());
    for model in models {
        let contributions = tx.benchmark_contributions();
        own.push(contributions.of_model(&model.id, model.version).await?);
    }
    Ok(own)
}

/// Benchmarks for the latest version of one model, or of every model.
#[tracing::instrument(skip_all, fields(%tenant))]
pub async fn peer_benchmarks<'c>(
    store: &Store,
    catalog: &'c Catalog,
    benchmarks: &Benchmarks,
    tenant: TenantId,
    model_id: Option<&str>,
    group: &PeerGroup,
) -> Result<Vec<ModelBenchmark<'c>>, Error> {
    let models: Vec<&Model> = match model_id {
        Some(id) => vec![
            catalog
                .latest(id)
                .ok_or_else(|| Error::invalid("model_id", format!("there is no model `{id}`")))?,
        ],
        None => catalog.latest_models().collect(),
    };
    // Whether the reader shares, and its own contributions, in one read-only transaction.
    let tx = store.tenant_read_tx(tenant).await?;
    opted_in(&tx).await?;
    let owned = own(&tx, &models).await?;
    tx.commit().await?;
    let mut found = Vec::with_capacity(models.len());
    for (model, own) in models.into_iter().zip(&owned) {
        let sizes = benchmarks.sizes(store, model).await?;
        let view = OthersView {
            sizes: &sizes,
            own,
            rules: benchmarks.rules,
        };
        let (figures, broader) = match view.shown(group) {
            Some(shown) if &shown == group => {
                let cells = benchmarks.cells(store, model, &shown).await?;
                (Some(figures(model, &cells, &view, &shown)), None)
            }
            other => (None, other),
        };
        found.push(ModelBenchmark {
            model,
            requested: group.clone(),
            figures,
            broader,
        });
    }
    Ok(found)
}

fn figures(
    model: &Model,
    cells: &GroupCells,
    view: &OthersView<'_>,
    group: &PeerGroup,
) -> GroupFigures {
    let rules = view.rules;
    let stages = cells
        .stages
        .iter()
        .map(|&(order, n)| (order, rules.round(n)))
        .collect();
    let mut by_element: BTreeMap<&str, (Histogram, u32)> = BTreeMap::new();
    for (element_id, bucket, in_place, n) in &cells.elements {
        let entry = by_element.entry(element_id).or_default();
        entry.0.add(*bucket, *n);
        if *in_place {
            entry.1 += n;
        }
    }
    let elements = model
        .elements
        .iter()
        .map(|element| {
            let (histogram, in_place) = by_element.remove(element.id.as_str()).unwrap_or_default();
            let shown = view.element_shown(group, &element.id, histogram.total());
            ElementFigures {
                element_id: element.id.clone(),
                in_place: shown.then(|| rules.round(in_place)),
                quartiles: histogram.quartiles().filter(|_| shown),
            }
        })
        .collect();
    GroupFigures {
        organisations: rules.round(cells.organisations),
        stages,
        elements,
    }
}

/// Where a client stands among its peers on one model.
#[derive(Debug)]
pub struct ClientPosition<'c> {
    pub model: &'c Model,
    /// The peers it is compared with: its own group, or the first broader one large enough.
    pub group: PeerGroup,
    pub organisations: u32,
    /// Staged and layered models: the percentile of its stage.
    pub stage_percentile: Option<u32>,
    /// Per element: the percentile of its score (`None` when its score is unknown, or too few
    /// others have one).
    pub elements: Vec<(String, Option<u32>)>,
}

/// A client's percentiles among its peers, per model it has a result for at the model's latest
/// version.
#[tracing::instrument(skip_all, fields(%tenant, %id))]
pub async fn client_position<'c>(
    store: &Store,
    catalog: &'c Catalog,
    benchmarks: &Benchmarks,
    tenant: TenantId,
    id: OrganisationId,
) -> Result<(Organisation, Vec<ClientPosition<'c>>), Error> {
    let tx = store.tenant_read_tx(tenant).await?;
    let organisation = super::organisations::existing(&tx, id).await?;
    // After the lookup, so that another tenant's client is a 404 like a missing one.
    opted_in(&tx).await?;
    let contributions = tx.benchmark_contributions().of(id).await?;
    let models: Vec<&Model> = catalog
        .latest_models()
        .filter(|m| {
            contributions
                .iter()
                .any(|c| c.model_id == m.id && c.model_version == m.version)
        })
        .collect();
    let owned = own(&tx, &models).await?;
    tx.commit().await?;
    let mut positions = Vec::new();
    for (model, own) in models.into_iter().zip(&owned) {
        let Some(mine) = contributions
            .iter()
            .find(|c| c.model_id == model.id && c.model_version == model.version)
        else {
            continue;
        };
        let sizes = benchmarks.sizes(store, model).await?;
        let view = OthersView {
            sizes: &sizes,
            own,
            rules: benchmarks.rules,
        };
        let Some(group) = view.shown(&organisation.peer_group()) else {
            continue;
        };
        let cells = benchmarks.cells(store, model, &group).await?;
        let mut stages = Histogram::default();
        for &(order, n) in &cells.stages {
            stages.add(u8::try_from(order).unwrap_or(u8::MAX), n);
        }
        let mut elements: BTreeMap<&str, Histogram> = BTreeMap::new();
        for (element_id, bucket, _, n) in &cells.elements {
            elements.entry(element_id).or_default().add(*bucket, *n);
        }
        positions.push(ClientPosition {
            model,
            organisations: view.rules.round(cells.organisations),
            stage_percentile: mine
                .stage_order
                .and_then(|order| stages.percentile(u8::try_from(order).unwrap_or(u8::MAX))),
            elements: mine
                .elements
                .iter()
                .map(|e| {
                    let histogram = elements.get(e.element_id.as_str());
                    let shown = histogram
                        .is_some_and(|h| view.element_shown(&group, &e.element_id, h.total()));
                    let percentile = e
                        .bucket
                        .filter(|_| shown)
                        .and_then(|b| histogram.and_then(|h| h.percentile(b)));
                    (e.element_id.clone(), percentile)
                })
                .collect(),
            group,
        });
    }
    Ok((organisation, positions))
}
