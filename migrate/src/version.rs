//! Migration folder names: `20240101120000_create_users` (quarry's and
//! Diesel's usual form) or `2024-01-01-120000_create_users` (Diesel's older
//! form). Both give the version `20240101120000`.

/// The version (14 digits, dashes removed) and the name of a migration
/// folder, or `None` when `dir` is not a migration folder's name.
pub fn parse_dir_name(dir: &str) -> Option<(String, String)> {
    let (version, name) = dir.split_once('_')?;
    if name.is_empty() {
        return None;
    }
    let digits: String = version.chars().filter(|c| *c != '-').collect();
    let dashed = version.len() == 17
        && version
            .char_indices()
            .all(|(i, c)| matches!(i, 4 | 7 | 10) == (c == '-'));
    let plain = version.len() == 14;
    if (plain || dashed) && digits.len() == 14 && digits.chars().all(|c| c.is_ascii_digit()) {
        Some((digits, name.to_owned()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_dir_name;

    #[test]
    fn both_diesel_forms() {
        let parsed = |dir| parse_dir_name(dir).map(|(v, n)| format!("{v} {n}"));
        assert_eq!(
            parsed("20240101120000_create_users").as_deref(),
            Some("20240101120000 create_users")
        );
        assert_eq!(
            parsed("2024-01-01-120000_create_users").as_deref(),
            Some("20240101120000 create_users")
        );
        assert_eq!(
            parsed("00000000000000_diesel_initial_setup").as_deref(),
            Some("00000000000000 diesel_initial_setup")
        );
        for bad in [
            "create_users",
            "2024010112000_x",
            "20240101120000_",
            "2024-0101-120000_x",
            "2024-01-01-12000a_x",
            "20240101120000",
        ] {
            assert_eq!(parsed(bad), None, "{bad}");
        }
    }
}
