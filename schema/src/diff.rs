//! The changes that turn one [`Shape`] into another: tables created and
//! dropped, and per table the columns added, dropped and changed, the
//! primary key and the foreign keys.

use crate::shape::{ColumnShape, ForeignKeyShape, Shape, TableShape};

#[derive(Debug, Clone)]
pub enum Change {
    Create(TableShape),
    Drop(TableShape),
    Alter(Box<Alter>),
}

/// How one table changes.
#[derive(Debug, Clone)]
pub struct Alter {
    pub from: TableShape,
    pub to: TableShape,
    pub added: Vec<ColumnShape>,
    pub dropped: Vec<ColumnShape>,
    /// `(before, after)`: the type or the nullability differs.
    pub changed: Vec<(ColumnShape, ColumnShape)>,
    pub primary_key_changed: bool,
    pub foreign_keys_added: Vec<ForeignKeyShape>,
    pub foreign_keys_dropped: Vec<ForeignKeyShape>,
}

/// What turns `from` into `to`, tables by name; empty when they agree.
pub fn diff(from: &Shape, to: &Shape) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, table) in &from.tables {
        if !to.tables.contains_key(name) {
            changes.push(Change::Drop(table.clone()));
        }
    }
    for (name, table) in &to.tables {
        match from.tables.get(name) {
            None => changes.push(Change::Create(table.clone())),
            Some(before) if before != table => {
                if let Some(alter) = alter(before, table) {
                    changes.push(Change::Alter(Box::new(alter)));
                }
            }
            Some(_) => {}
        }
    }
    changes
}

fn alter(from: &TableShape, to: &TableShape) -> Option<Alter> {
    let added: Vec<ColumnShape> = to
        .columns
        .iter()
        .filter(|c| from.column(&c.name).is_none())
        .cloned()
        .collect();
    let dropped: Vec<ColumnShape> = from
        .columns
        .iter()
        .filter(|c| to.column(&c.name).is_none())
        .cloned()
        .collect();
    let changed: Vec<(ColumnShape, ColumnShape)> = to
        .columns
        .iter()
        .filter_map(|after| {
            let before = from.column(&after.name)?;
            (before.type_text() != after.type_text() || before.nullable != after.nullable)
                .then(|| (before.clone(), after.clone()))
        })
        .collect();
    let foreign_keys_added: Vec<ForeignKeyShape> = to
        .foreign_keys
        .iter()
        .filter(|fk| !from.foreign_keys.contains(fk))
        .cloned()
        .collect();
    let foreign_keys_dropped: Vec<ForeignKeyShape> = from
        .foreign_keys
        .iter()
        .filter(|fk| !to.foreign_keys.contains(fk))
        .cloned()
        .collect();
    let primary_key_changed = from.primary_key != to.primary_key;
    let nothing = added.is_empty()
        && dropped.is_empty()
        && changed.is_empty()
        && foreign_keys_added.is_empty()
        && foreign_keys_dropped.is_empty()
        && !primary_key_changed;
    (!nothing).then(|| Alter {
        from: from.clone(),
        to: to.clone(),
        added,
        dropped,
        changed,
        primary_key_changed,
        foreign_keys_added,
        foreign_keys_dropped,
    })
}

/// One line per change, for `quarry migration check`.
pub fn describe(changes: &[Change]) -> Vec<String> {
    let mut lines = Vec::new();
    for change in changes {
        match change {
            Change::Create(t) => lines.push(format!("table `{}` is not in the database", t.name)),
            Change::Drop(t) => lines.push(format!("table `{}` is not in schema.rs", t.name)),
            Change::Alter(a) => {
                let t = &a.to.name;
                for c in &a.added {
                    lines.push(format!("column `{t}.{}` is not in the database", c.name));
                }
                for c in &a.dropped {
                    lines.push(format!("column `{t}.{}` is not in schema.rs", c.name));
                }
                for (before, after) in &a.changed {
                    lines.push(format!(
                        "column `{t}.{}` is {} in the database and {} in schema.rs",
                        after.name,
                        written(before),
                        written(after)
                    ));
                }
                if a.primary_key_changed {
                    lines.push(format!(
                        "table `{t}`'s primary key is ({}) in the database and ({}) in schema.rs",
                        a.from.primary_key.join(", "),
                        a.to.primary_key.join(", ")
                    ));
                }
                for fk in &a.foreign_keys_added {
                    lines.push(format!(
                        "foreign key `{t}({})` is not in the database",
                        fk.columns.join(", ")
                    ));
                }
                for fk in &a.foreign_keys_dropped {
                    lines.push(format!(
                        "foreign key `{t}({})` is not in schema.rs",
                        fk.columns.join(", ")
                    ));
                }
            }
        }
    }
    lines
}

fn written(column: &ColumnShape) -> String {
    if column.nullable {
        format!("`Nullable<{}>`", column.type_text())
    } else {
        format!("`{}`", column.type_text())
    }
}
