//! The catalogue files compiled into the binary. Adding a model, or a new version of one, means
//! adding its file here; `Catalog::builtin` validates them all.

use super::SourceFile;

macro_rules! source {
    ($path:literal) => {
        SourceFile {
            name: $path,
            contents: include_str!(concat!("data/", $path)),
        }
    };
}

pub(super) const INDICATORS: SourceFile<'static> = source!("indicators.json");

pub(super) const ACTIONS: SourceFile<'static> = source!("actions.json");

/// In presentation order (the order a model is first listed in), each model's versions in any
/// order.
pub(super) const MODELS: &[SourceFile<'static>] = &[
    source!("models/social-strategy-cone.json"),
    source!("models/strategy-learning-curve.json"),
    source!("models/social-media-pyramid.json"),
    source!("models/groundswell-objectives.json"),
    source!("models/communicatieroos.json"),
    source!("models/listening-maturity.json"),
    source!("models/ambitie-model.json"),
    source!("models/social-strategy-cone-1.1.0.json"),
    source!("models/strategy-learning-curve-1.1.0.json"),
    source!("models/social-media-pyramid-1.1.0.json"),
    source!("models/groundswell-objectives-1.1.0.json"),
    source!("models/communicatieroos-1.1.0.json"),
    source!("models/listening-maturity-1.1.0.json"),
    source!("models/ambitie-model-1.1.0.json"),
    source!("models/social-strategy-cone-1.2.0.json"),
    source!("models/strategy-learning-curve-1.2.0.json"),
    source!("models/social-media-pyramid-1.2.0.json"),
    source!("models/groundswell-objectives-1.2.0.json"),
    source!("models/communicatieroos-1.2.0.json"),
    source!("models/listening-maturity-1.2.0.json"),
    source!("models/ambitie-model-1.2.0.json"),
];
