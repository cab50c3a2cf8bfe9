//! The catalogue rendered for the wire once, at start-up: every model version and every list in
//! every language. Requests then never serialise a model or touch the database.

use std::collections::HashMap;

use crate::api::catalog::documents::{
    ActionDocument, IndicatorDocument, ModelDocument, ModelSummary,
};
use crate::api::representation::Representation;
use crate::catalog::Catalog;
use crate::domain::{Lang, Version};
use crate::error::ApiError;

/// Wire forms of the catalogue, shared read-only by every worker.
pub struct RenderedCatalog {
    documents: HashMap<(String, Version, Lang), Representation>,
    latest: HashMap<String, Version>,
    summaries: HashMap<Lang, Vec<ModelSummary>>,
    /// The served indicators (not retired).
    indicators: HashMap<Lang, Vec<IndicatorDocument>>,
    all_indicators: HashMap<Lang, Vec<IndicatorDocument>>,
    actions: HashMap<Lang, Vec<ActionDocument>>,
}

impl RenderedCatalog {
    pub fn new(catalog: &Catalog) -> Result<RenderedCatalog, ApiError> {
        let mut rendered = RenderedCatalog {
            documents: HashMap::new(),
            latest: HashMap::new(),
            summaries: HashMap::new(),
            indicators: HashMap::new(),
            all_indicators: HashMap::new(),
            actions: HashMap::new(),
        };
        let bank = catalog.indicators();
        for latest in catalog.latest_models() {
            rendered.latest.insert(latest.id.clone(), latest.version);
            for model in catalog.versions(&latest.id) {
                for lang in Lang::ALL {
                    let document = ModelDocument::render(model, bank, lang);
                    rendered.documents.insert(
                        (model.id.clone(), model.version, lang),
                        Representation::json(&document)?,
                    );
                }
            }
        }
        for lang in Lang::ALL {
            let summaries = catalog
                .latest_models()
                .filter_map(|m| ModelSummary::render(catalog.versions(&m.id), lang))
                .collect();
            rendered.summaries.insert(lang, summaries);
            let render = |indicator: &crate::domain::Indicator| {
                let users = catalog
                    .latest_models()
                    .filter(|m| m.indicator_ids().any(|id| id == indicator.id))
                    .map(|m| m.id.clone())
                    .collect();
                IndicatorDocument::render(indicator, users, lang)
            };
            let served = bank.iter().filter(|i| !i.retired).map(render).collect();
            rendered.indicators.insert(lang, served);
            rendered
                .all_indicators
                .insert(lang, bank.iter().map(render).collect());
            let actions = catalog
                .actions()
                .iter()
                .map(|action| ActionDocument::render(action, lang))
                .collect();
            rendered.actions.insert(lang, actions);
        }
        Ok(rendered)
    }

    /// One version of a model; the latest when `version` is `None`.
    pub fn model(&self, id: &str, version: Option<Version>, lang: Lang) -> Option<&Representation> {
        let version = version.or_else(|| self.latest.get(id).copied())?;
        self.documents.get(&(id.to_owned(), version, lang))
    }

    pub fn is_known_model(&self, id: &str) -> bool {
        self.latest.contains_key(id)
    }

    pub fn summaries(&self, lang: Lang) -> &[ModelSummary] {
        self.summaries.get(&lang).map_or(&[], Vec::as_slice)
    }

    /// The bank's indicators, retired ones only when asked for.
    pub fn indicators(&self, lang: Lang, include_retired: bool) -> &[IndicatorDocument] {
        let lists = if include_retired {
            &self.all_indicators
        } else {
            &self.indicators
        };
        lists.get(&lang).map_or(&[], Vec::as_slice)
    }

    pub fn actions(&self, lang: Lang) -> &[ActionDocument] {
        self.actions.get(&lang).map_or(&[], Vec::as_slice)
    }
}
