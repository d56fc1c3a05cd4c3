//! A query's rows read as the server sends them, at the caller's pace.

use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio_postgres::Row;

use super::connection::Connection;
use crate::error::Result;
use crate::value::{TypedSql, Value};

/// The rows of one query as a [`Stream`], read as the server sends them:
/// memory does not grow with the result.
///
/// tokio-postgres keeps at most one unread batch of messages per statement
/// (what one read from the socket brought, typically a few dozen KiB) and
/// stops reading the socket until that batch is consumed, so a slow
/// consumer holds the server back rather than filling memory. There is no
/// batch size to set: rows come as fast as the consumer takes them.
///
/// The stream holds its connection (`C`: a `&Connection`, or a pooled
/// connection of its own) until it is dropped; nothing else runs on that
/// connection meanwhile, since the server sends one result at a time.
/// Dropped before the last row, the query is cancelled on the server (see
/// the module's *Faults*) and the connection runs its next statement once
/// the cancel request was delivered. The statement timeout bounds starting
/// the query, not reading its rows.
///
/// ```no_run
/// # async fn demo(conn: &quarry_runtime::postgres::Connection) -> quarry_runtime::Result<()> {
/// use futures_util::TryStreamExt;
/// use quarry_runtime::postgres::RowStream;
///
/// let mut rows = RowStream::start(conn, "SELECT id FROM events", &[]).await?;
/// while let Some(row) = rows.try_next().await? {
///     let id: i64 = row.get(0);
/// #   let _ = id;
/// }
/// # Ok(()) }
/// ```
pub struct RowStream<C: Deref<Target = Connection>> {
    conn: C,
    rows: Pin<Box<tokio_postgres::RowStream>>,
    done: bool,
}

impl<C: Deref<Target = Connection>> std::fmt::Debug for RowStream<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream")
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<C: Deref<Target = Connection>> RowStream<C> {
    /// Starts the query `sql` (prepared once and cached, as with
    /// [`Connection::query_static`]) on `conn` with `params` bound.
    ///
    /// # Errors
    ///
    /// As [`Connection::query_static`], for starting the query.
    pub async fn start(conn: C, sql: impl Into<TypedSql>, params: &[Value<'_>]) -> Result<Self> {
        let rows = conn.start_static_guarded(sql.into(), params).await?;
        Ok(RowStream {
            conn,
            rows: Box::pin(rows),
            done: false,
        })
    }
}

impl<C: Deref<Target = Connection> + Unpin> Stream for RowStream<C> {
    type Item = Result<Row>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Row>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let polled = self.rows.as_mut().poll_next(cx);
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(row))) => Poll::Ready(Some(Ok(row))),
            Poll::Ready(Some(Err(e))) => {
                self.done = true;
                Poll::Ready(Some(Err(self.conn.fail(e))))
            }
            Poll::Ready(None) => {
                self.done = true;
                Poll::Ready(None)
            }
        }
    }
}

impl<C: Deref<Target = Connection>> Drop for RowStream<C> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.abandon();
        }
    }
}
