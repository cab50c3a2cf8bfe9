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

/// In presentation order: the order the models are listed in.
pub(super) const MODELS: &[SourceFile<'static>] = &[
    source!("models/social-strategy-cone.json"),
    source!("models/strategy-learning-curve.json"),
    source!("models/social-media-pyramid.json"),
    source!("models/groundswell-objectives.json"),
    source!("models/communicatieroos.json"),
    source!("models/listening-maturity.json"),
    source!("models/ambitie-model.json"),
];
