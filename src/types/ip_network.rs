//! `IpNetwork`: PostgreSQL's `inet` and `cidr`.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::types::{SqlRaw, SqlValue};
use quarry_runtime::Value;

/// An address with its network's prefix length: a PostgreSQL `inet`
/// (`192.168.0.1/24`, a host in a network) or `cidr` (`10.0.0.0/8`, a
/// network, whose bits past the prefix are zero). Loads from both, binds
/// as its text, which the server reads with the type's own input function
/// (so a `cidr` with bits set past the prefix is the server's error).
///
/// Use [`Inet`](crate::sql_types::Inet) or [`Cidr`](crate::sql_types::Cidr)
/// as the column's SQL type; `print-schema` prints them. On SQLite the value
/// is kept as its text.
///
/// ```
/// use quarry::types::IpNetwork;
///
/// let net: IpNetwork = "10.0.0.0/8".parse().unwrap();
/// assert_eq!(net.prefix, 8);
/// assert_eq!(net.to_string(), "10.0.0.0/8");
/// assert_eq!("::1".parse::<IpNetwork>().unwrap().prefix, 128);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNetwork {
    /// The address.
    pub addr: IpAddr,
    /// The prefix length: up to 32 for IPv4, 128 for IPv6.
    pub prefix: u8,
}

/// Why text is not an [`IpNetwork`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIpNetworkError;

impl core::fmt::Display for ParseIpNetworkError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("expected an IP address with an optional `/prefix` length")
    }
}

impl std::error::Error for ParseIpNetworkError {}

fn max_prefix(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

impl core::str::FromStr for IpNetwork {
    type Err = ParseIpNetworkError;
    /// `addr` (the whole address: `/32` or `/128`) or `addr/prefix`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| ParseIpNetworkError)?;
        let prefix = match prefix {
            Some(p) => p.parse().map_err(|_| ParseIpNetworkError)?,
            None => max_prefix(addr),
        };
        if prefix > max_prefix(addr) {
            return Err(ParseIpNetworkError);
        }
        Ok(IpNetwork { addr, prefix })
    }
}

/// `addr/prefix`, always with the prefix.
impl core::fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl IpNetwork {
    /// Reads PostgreSQL's binary format of `inet` and `cidr`: family (2 for
    /// IPv4, 3 for IPv6), prefix length, whether it is a `cidr`, the
    /// address's length, the address.
    fn from_binary(bytes: &[u8]) -> Option<IpNetwork> {
        let [family, prefix, _is_cidr, len, addr @ ..] = bytes else {
            return None;
        };
        let addr = match (family, len) {
            (2, 4) => IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(addr).ok()?)),
            (3, 16) => IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(addr).ok()?)),
            _ => return None,
        };
        (*prefix <= max_prefix(addr)).then_some(IpNetwork {
            addr,
            prefix: *prefix,
        })
    }
}

/// An `inet` value; `IpNetwork` with `sql_types::Cidr` is the same value
/// for a `cidr` column.
impl SqlValue for IpNetwork {
    type SqlType = crate::sql_types::Inet;
    fn encode(&self) -> Value<'_> {
        Value::OwnedText(self.to_string())
    }
    fn decode(raw: SqlRaw<'_>) -> Option<Self> {
        match raw {
            SqlRaw::Bytes(bytes) => IpNetwork::from_binary(bytes),
            SqlRaw::Text(text) => text.parse().ok(),
            SqlRaw::Integer(_) | SqlRaw::Real(_) => None,
        }
    }
}
crate::impl_sql_value!(IpNetwork);

// The same value as a `cidr`: bound as its text, read from the same
// binary format.
impl crate::types::BindValue<crate::sql_types::Cidr> for IpNetwork {}
impl crate::types::BindValue<crate::sql_types::Nullable<crate::sql_types::Cidr>> for IpNetwork {}
#[cfg(feature = "sqlite")]
impl crate::types::FromSql<crate::sql_types::Cidr, crate::Sqlite> for IpNetwork {
    fn from_sql(raw: crate::sqlite::ValueRef<'_>) -> Result<Self, crate::types::DecodeError> {
        crate::sqlite::decode_sql_value(raw)
    }
}
#[cfg(feature = "postgres")]
impl crate::types::FromSql<crate::sql_types::Cidr, crate::Pg> for IpNetwork {
    fn from_sql(raw: crate::pg::RawValue<'_>) -> Result<Self, crate::types::DecodeError> {
        crate::pg::decode_sql_value(raw)
    }
}
#[cfg(feature = "mysql")]
impl crate::types::FromSql<crate::sql_types::Cidr, crate::Mysql> for IpNetwork {
    fn from_sql(raw: crate::mysql::RawValue<'_>) -> Result<Self, crate::types::DecodeError> {
        crate::mysql::decode_sql_value(raw)
    }
}
