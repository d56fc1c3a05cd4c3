//! A migration folder's optional `metadata.toml`, as Diesel reads it.

use serde::Deserialize;

/// `metadata.toml`: `run_in_transaction = false` runs the migration outside
/// a transaction, for statements PostgreSQL refuses inside one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(default = "yes")]
    pub run_in_transaction: bool,
}

fn yes() -> bool {
    true
}

impl Metadata {
    /// Parses the file's text.
    pub fn parse(text: &str) -> Result<Metadata, toml::de::Error> {
        toml::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::Metadata;

    #[test]
    fn run_in_transaction_defaults_to_true() {
        assert!(Metadata::parse("").unwrap().run_in_transaction);
        assert!(
            !Metadata::parse("run_in_transaction = false")
                .unwrap()
                .run_in_transaction
        );
        assert!(Metadata::parse("run_in_transaction = 1").is_err());
        assert!(Metadata::parse("other = true").is_err());
    }
}
