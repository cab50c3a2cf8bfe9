//! Peer benchmarks: what a tenant's clients contribute (kept in step with submissions, client
//! changes and the tenant's choice to share), and what an opted-in tenant may read: k-anonymous
//! aggregates of its peers, and a client's position among them.

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
use crate::store::{Keyset, Store, TenantTx};

/// Adds a submission's results to the benchmark, if the tenant shares: for each model, the
/// client's contribution becomes this result.
pub(super) async fn contribute(
    tx: &TenantTx,
    catalog: &Catalog,
    organisation: OrganisationId,
    results: &AssessmentResults,
) -> Result<(), Error> {
    if !shares(tx).await? {
        return Ok(());
    }
    let organisation = super::organisations::existing(tx, organisation).await?;
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

/// Contributes every client's latest result per model: the tenant has just opted in.
pub(super) async fn contribute_all(tx: &TenantTx, catalog: &Catalog) -> Result<(), Error> {
    let mut after = None;
    loop {
        let page = tx
            .organisations()
            .list(Keyset { after, limit: 100 })
            .await?;
        for organisation in &page {
            // Oldest first: each later submission replaces the earlier for its models.
            let submitted = tx.results().of_organisation(organisation.id, 100).await?;
            for (_, results) in &submitted {
                for outcome in &results.models {
                    let Some(model) = catalog.version(&outcome.model_id, outcome.model_version)
                    else {
                        continue;
                    };
                    let contribution = Contribution::of(model, outcome, organisation.peer_group());
                    tx.benchmark_contributions()
                        .put(organisation.id, &contribution, results.submitted_at)
                        .await?;
                }
            }
        }
        match page.last() {
            Some(last) if page.len() == 100 => after = Some(last.id.0),
            _ => return Ok(()),
        }
    }
}

/// Whether the transaction's tenant shares its clients' results.
pub(super) async fn shares(tx: &TenantTx) -> Result<bool, Error> {
    Ok(tx
        .tenant()
        .find()
        .await?
        .is_some_and(|t| t.benchmark_sharing))
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
    /// Organisations with the element in place.
    pub in_place: u32,
    pub quartiles: Option<Quartiles>,
}

/// A tenant that does not share may not read: give to get.
async fn opted_in(store: &Store, tenant: TenantId) -> Result<(), Error> {
    let sharing = store
        .find_tenant(tenant)
        .await?
        .is_some_and(|t| t.benchmark_sharing);
    if sharing {
        Ok(())
    } else {
        Err(Error::Refused(
            "peer benchmarks are for tenants that share their own clients' results: ask the \
             platform operator to turn benchmark sharing on"
                .to_owned(),
        ))
    }
}

/// The anonymity rules and the per-replica cache of what benchmarks read. A cached view may lag
/// submissions by the cache's lifetime (a benchmark is no less true for that), but each view is
/// read at one moment, so its figures agree with one another.
pub struct Benchmarks {
    pub rules: Anonymity,
    views: TtlCache<(String, Version, PeerGroup), GroupView>,
}

/// What may be shown for a requested group: the group itself or the first broader one large
/// enough (`None` when none is), its size, and its summed cells.
struct GroupView {
    shown: Option<PeerGroup>,
    organisations: u32,
    cells: GroupCells,
}

/// A group's summed cells: organisations per stage order, and per element, bucket and in-place.
#[derive(Default)]
struct GroupCells {
    stages: Vec<(u32, u32)>,
    elements: Vec<(String, u8, bool, u32)>,
}

impl Benchmarks {
    /// `ttl` zero turns caching off.
    pub fn new(rules: Anonymity, ttl: Duration) -> Benchmarks {
        Benchmarks {
            rules,
            views: TtlCache::new(ttl, 4096),
        }
    }

    async fn view(
        &self,
        store: &Store,
        model: &Model,
        group: &PeerGroup,
    ) -> Result<Arc<GroupView>, Error> {
        let key = (model.id.clone(), model.version, group.clone());
        if let Some(view) = self.views.get(&key) {
            return Ok(view);
        }
        let sizes = GroupSizes(store.benchmark_groups(&model.id, model.version).await?);
        let shown = sizes.shown(group, self.rules);
        let view = match shown {
            Some(shown) => GroupView {
                organisations: sizes.of(&shown),
                cells: GroupCells {
                    stages: store
                        .benchmark_stages(&model.id, model.version, &shown)
                        .await?,
                    elements: store
                        .benchmark_elements(&model.id, model.version, &shown)
                        .await?,
                },
                shown: Some(shown),
            },
            None => GroupView {
                shown: None,
                organisations: 0,
                cells: GroupCells::default(),
            },
        };
        Ok(self.views.put(key, view))
    }
}

/// The sizes of every group of a model version, from its cells.
struct GroupSizes(Vec<crate::store::benchmarks::Cell<()>>);

impl GroupSizes {
    fn of(&self, group: &PeerGroup) -> u32 {
        self.0
            .iter()
            .filter(|cell| group.contains(&cell.group))
            .map(|cell| cell.organisations)
            .sum()
    }

    fn releasable(&self, group: &PeerGroup, rules: Anonymity) -> bool {
        let parents: Vec<u32> = group.parents().iter().map(|p| self.of(p)).collect();
        rules.releasable(self.of(group), &parents)
    }

    /// The group itself when it may be shown, else the first broader one that may.
    fn shown(&self, group: &PeerGroup, rules: Anonymity) -> Option<PeerGroup> {
        std::iter::successors(Some(group.clone()), PeerGroup::broader)
            .find(|g| self.releasable(g, rules))
    }
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
    opted_in(store, tenant).await?;
    let models: Vec<&Model> = match model_id {
        Some(id) => vec![
            catalog
                .latest(id)
                .ok_or_else(|| Error::invalid("model_id", format!("there is no model `{id}`")))?,
        ],
        None => catalog.latest_models().collect(),
    };
    let rules = benchmarks.rules;
    let mut found = Vec::with_capacity(models.len());
    for model in models {
        let view = benchmarks.view(store, model, group).await?;
        let (figures, broader) = match &view.shown {
            Some(shown) if shown == group => (
                Some(figures(model, &view.cells, view.organisations, rules)),
                None,
            ),
            other => (None, other.clone()),
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
    organisations: u32,
    rules: Anonymity,
) -> GroupFigures {
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
            ElementFigures {
                element_id: element.id.clone(),
                in_place: rules.round(in_place),
                quartiles: histogram.quartiles(),
            }
        })
        .collect();
    GroupFigures {
        organisations: rules.round(organisations),
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
    /// Per element: the percentile of its score (`None` when its score is unknown).
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
    let tx = store.tenant_tx(tenant).await?;
    let organisation = super::organisations::existing(&tx, id).await?;
    let contributions = tx.benchmark_contributions().of(id).await?;
    tx.commit().await?;
    // After the lookup, so that another tenant's client is a 404 like a missing one.
    opted_in(store, tenant).await?;
    let mut positions = Vec::new();
    for model in catalog.latest_models() {
        let Some(own) = contributions
            .iter()
            .find(|c| c.model_id == model.id && c.model_version == model.version)
        else {
            continue;
        };
        let rules = benchmarks.rules;
        let view = benchmarks
            .view(store, model, &organisation.peer_group())
            .await?;
        let (Some(group), cells) = (view.shown.clone(), &view.cells) else {
            continue;
        };
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
            organisations: rules.round(view.organisations),
            stage_percentile: own
                .stage_order
                .and_then(|order| stages.percentile(u8::try_from(order).unwrap_or(u8::MAX))),
            elements: own
                .elements
                .iter()
                .map(|e| {
                    let percentile = e.bucket.and_then(|b| {
                        elements
                            .get(e.element_id.as_str())
                            .and_then(|h| h.percentile(b))
                    });
                    (e.element_id.clone(), percentile)
                })
                .collect(),
            group,
        });
    }
    Ok((organisation, positions))
}
