//! Cancel requests that wait for the server's answer.
//!
//! tokio-postgres writes a cancel request and half-closes its socket at
//! once. The server (or PgBouncer) closes that socket after it has acted on
//! the request, so reading it to its end tells quarry the request was
//! handled: the backend was signalled, and a late signal cannot hit a later
//! statement. It also keeps PgBouncer 1.18 alive: it crashes ("bad client
//! state") when a cancel request's client leaves before PgBouncer has
//! forwarded it.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_postgres::config::Host;
use tokio_postgres::{CancelToken, NoTls};

/// Where a connection's cancel requests go: its server's TCP address.
#[derive(Debug, Clone)]
pub(crate) struct CancelTarget {
    host: String,
    port: u16,
}

impl CancelTarget {
    /// The first TCP host of `config`, or `None` (a Unix socket).
    pub(crate) fn of(config: &tokio_postgres::Config) -> Option<Self> {
        let port = config.get_ports().first().copied().unwrap_or(5432);
        config.get_hosts().iter().find_map(|host| match host {
            Host::Tcp(name) => Some(CancelTarget {
                host: name.clone(),
                port,
            }),
            #[cfg(unix)]
            Host::Unix(_) => None,
        })
    }

    /// Sends `token`'s cancel request over plain TCP and waits until the
    /// server closes the socket, having acted on it.
    pub(crate) async fn cancel(&self, token: &CancelToken) -> Result<(), crate::BoxError> {
        let mut stream = TcpStream::connect((self.host.as_str(), self.port)).await?;
        token.cancel_query_raw(KeepOpen(&mut stream), NoTls).await?;
        let mut rest = [0u8; 64];
        loop {
            match stream.read(&mut rest).await {
                Ok(0) | Err(_) => return Ok(()),
                Ok(_) => {}
            }
        }
    }

    /// Like [`cancel`](Self::cancel), over TLS when the connection's
    /// `sslmode` asks for it (`prefer`: when the server offers it). The
    /// TLS layer needs a stream it owns: it gets a duplicate of the
    /// socket's descriptor, so that dropping it closes nothing, and the
    /// server's close is read on the original.
    #[cfg(feature = "tls")]
    pub(crate) async fn cancel_tls(
        &self,
        token: &CancelToken,
        mut tls: tokio_postgres_rustls::MakeRustlsConnect,
    ) -> Result<(), crate::BoxError> {
        use tokio_postgres::tls::MakeTlsConnect;
        let stream = TcpStream::connect((self.host.as_str(), self.port)).await?;
        let original = stream.into_std()?;
        let duplicate = original.try_clone()?;
        let mut reader = TcpStream::from_std(original)?;
        let writer = Owned(TcpStream::from_std(duplicate)?);
        let connect = MakeTlsConnect::<Owned>::make_tls_connect(&mut tls, &self.host)?;
        token.cancel_query_raw(writer, connect).await?;
        let mut rest = [0u8; 64];
        loop {
            match reader.read(&mut rest).await {
                Ok(0) | Err(_) => return Ok(()),
                Ok(_) => {}
            }
        }
    }
}

/// A socket of its own whose `shutdown` does nothing (see
/// [`CancelTarget::cancel_tls`]).
#[cfg(feature = "tls")]
struct Owned(TcpStream);

#[cfg(feature = "tls")]
impl AsyncRead for Owned {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

#[cfg(feature = "tls")]
impl AsyncWrite for Owned {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A stream whose `shutdown` does nothing, so that the socket stays open
/// for the server's answer.
struct KeepOpen<'a>(&'a mut TcpStream);

impl AsyncRead for KeepOpen<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for KeepOpen<'_> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
