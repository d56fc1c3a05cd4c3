//! `embed_migrations!("migrations")`: a migrations folder compiled into the
//! binary, read with quarry-migrate's own folder reader so the CLI and the
//! binary agree on what a migration is.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

/// The folder `path` (relative to the crate's `Cargo.toml`) as an
/// `EmbeddedMigrations` value. Each file goes in through `include_str!`, so
/// editing one rebuilds the crate.
pub fn expand(path: LitStr) -> syn::Result<TokenStream> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new_spanned(
                &path,
                "`embed_migrations!` needs cargo's CARGO_MANIFEST_DIR",
            )
        })?;
    let dir = root.join(path.value());
    let migrations = quarry_migrate::load_folder(&dir)
        .map_err(|e| syn::Error::new_spanned(&path, format!("embed_migrations!: {e}")))?;
    let entries = migrations.iter().map(|m| {
        let folder = dir.join(m.dir());
        let file = |name: &str| text_of(&folder.join(name));
        let name = m.dir();
        let up = file("up.sql");
        let down = match m.down() {
            Some(_) => {
                let down = file("down.sql");
                quote!(::core::option::Option::Some(::core::include_str!(#down)))
            }
            None => quote!(::core::option::Option::None),
        };
        // Tracks `metadata.toml` too, so changing it rebuilds.
        let metadata = folder.join("metadata.toml");
        let track = metadata.is_file().then(|| {
            let metadata = text_of(&metadata);
            quote!(
                const _: &str = ::core::include_str!(#metadata);
            )
        });
        let checksum = m.checksum();
        let run_in_transaction = m.run_in_transaction();
        quote! {
            {
                #track
                ::quarry::migrate::EmbeddedMigration {
                    dir: #name,
                    up: ::core::include_str!(#up),
                    down: #down,
                    checksum: #checksum,
                    run_in_transaction: #run_in_transaction,
                }
            }
        }
    });
    Ok(quote! {
        ::quarry::migrate::EmbeddedMigrations::new(&[#(#entries),*])
    })
}

fn text_of(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
