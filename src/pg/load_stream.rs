//! A query's rows as a stream of typed rows, decoded as they arrive.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use super::run::ConnectionRef;
use crate::backend::Pg;
use crate::deserialize::{FromRow, RowReader};
use quarry_runtime::Error;
use quarry_runtime::postgres::RowStream;

/// The rows of a query as `U`, decoded as the server sends them: memory
/// does not grow with the result. Returned by
/// [`RunQueryAsync::load_stream`](super::RunQueryAsync::load_stream).
///
/// See [`RowStream`] for the buffering (at most one unread network batch
/// of rows) and for what dropping it early does: the query is cancelled on
/// the server, and the connection runs its next statement once the cancel
/// request was delivered. After an error it yields nothing more.
pub struct LoadStream<'a, ST, U> {
    rows: RowStream<ConnectionRef<'a>>,
    row: PhantomData<fn() -> (ST, U)>,
}

impl<'a, ST, U> LoadStream<'a, ST, U> {
    pub(crate) fn new(rows: RowStream<ConnectionRef<'a>>) -> Self {
        LoadStream {
            rows,
            row: PhantomData,
        }
    }
}

impl<ST, U> std::fmt::Debug for LoadStream<'_, ST, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadStream")
            .field("rows", &self.rows)
            .finish()
    }
}

impl<ST, U: FromRow<ST, Pg>> Stream for LoadStream<'_, ST, U> {
    type Item = Result<U, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<U, Error>>> {
        Pin::new(&mut self.rows)
            .poll_next(cx)
            .map(|next| next.map(|row| row.and_then(|row| U::from_row(&mut RowReader::new(&row)))))
    }
}
