//! From [`Value`] to the driver's parameters, by the types the server
//! inferred for the prepared statement's placeholders.
//!
//! Every value is checked against its parameter's type before anything is
//! sent, so a mismatch is an [`Error::Bind`] naming the parameter and its
//! type, never a server round trip or a panic.

use std::error::Error as StdError;
use std::io;

use bytes::{BufMut, BytesMut};
use tokio_postgres::types::{IsNull, Kind, ToSql, Type, to_sql_checked};

use crate::error::{Error, Result};
use crate::value::{ParamType, Value};

type BoxError = Box<dyn StdError + Sync + Send>;

/// One parameter, checked against its PostgreSQL type and ready to encode.
#[derive(Debug)]
pub(crate) enum PgParam<'a> {
    Null,
    Bool(bool),
    I16(i16),
    I32(i32),
    I64(i64),
    Oid(u32),
    F32(f32),
    F64(f64),
    /// An integer sent as `NUMERIC`.
    NumericInt(i64),
    /// Text for a text-like or enum type.
    Text(&'a str),
    Bytes(&'a [u8]),
    /// A JSON document sent as `JSON`, `JSONB` or text.
    Json(&'a serde_json::Value),
    /// Text already holding a JSON document, sent as `JSON` or `JSONB`.
    JsonText(&'a str),
    #[cfg(feature = "chrono")]
    Date(chrono::NaiveDate),
    #[cfg(feature = "chrono")]
    Time(chrono::NaiveTime),
    #[cfg(feature = "chrono")]
    Timestamp(chrono::NaiveDateTime),
    #[cfg(feature = "chrono")]
    Timestamptz(chrono::DateTime<chrono::Utc>),
    #[cfg(feature = "uuid")]
    Uuid(uuid::Uuid),
    #[cfg(feature = "rust_decimal")]
    Numeric(rust_decimal::Decimal),
    /// A one-dimensional array of the parameter's element type.
    Array(Vec<PgParam<'a>>),
}

/// Converts `values` for a statement whose placeholders have `types`.
pub(crate) fn convert<'a>(types: &[Type], values: &'a [Value<'_>]) -> Result<Params<'a>> {
    if types.len() != values.len() {
        return Err(Error::Bind {
            index: types.len().min(values.len()) + 1,
            message: format!(
                "the statement has {} parameter(s) but {} value(s) were bound",
                types.len(),
                values.len()
            ),
        });
    }
    // A plain loop: collecting `Result`s into a `SmallVec` goes through
    // an adapter that costs more than the conversions, once per statement.
    let mut out = Params::new();
    for (i, (value, ty)) in values.iter().zip(types).enumerate() {
        match param(value, ty) {
            Ok(param) => out.push(param),
            Err(message) => {
                return Err(Error::Bind {
                    index: i + 1,
                    message,
                });
            }
        }
    }
    Ok(out)
}

/// A statement's converted parameters: on the stack up to eight.
pub(crate) type Params<'a> = smallvec::SmallVec<[PgParam<'a>; 8]>;

/// The PostgreSQL type declared for a parameter of type `ty`, or `None`
/// to let the server infer it.
fn pg_type(ty: ParamType) -> Option<Type> {
    Some(match ty {
        ParamType::Bool => Type::BOOL,
        ParamType::SmallInt => Type::INT2,
        ParamType::Int => Type::INT4,
        ParamType::BigInt => Type::INT8,
        ParamType::Float => Type::FLOAT4,
        ParamType::Double => Type::FLOAT8,
        ParamType::Numeric => Type::NUMERIC,
        ParamType::Text => Type::TEXT,
        ParamType::Binary => Type::BYTEA,
        ParamType::Date => Type::DATE,
        ParamType::Time => Type::TIME,
        ParamType::Timestamp => Type::TIMESTAMP,
        ParamType::Timestamptz => Type::TIMESTAMPTZ,
        ParamType::Uuid => Type::UUID,
        // Sent as text, converted by the server (`$1::text::mood`).
        ParamType::Named(_) => Type::TEXT,
        ParamType::Array(element) => match *element {
            ParamType::Bool => Type::BOOL_ARRAY,
            ParamType::SmallInt => Type::INT2_ARRAY,
            ParamType::Int => Type::INT4_ARRAY,
            ParamType::BigInt => Type::INT8_ARRAY,
            ParamType::Float => Type::FLOAT4_ARRAY,
            ParamType::Double => Type::FLOAT8_ARRAY,
            ParamType::Numeric => Type::NUMERIC_ARRAY,
            ParamType::Text => Type::TEXT_ARRAY,
            ParamType::Binary => Type::BYTEA_ARRAY,
            ParamType::Date => Type::DATE_ARRAY,
            ParamType::Time => Type::TIME_ARRAY,
            ParamType::Timestamp => Type::TIMESTAMP_ARRAY,
            ParamType::Timestamptz => Type::TIMESTAMPTZ_ARRAY,
            ParamType::Uuid => Type::UUID_ARRAY,
            // Sent as text, converted by the server (`$1::text[]::mood[]`).
            ParamType::Named(_) => Type::TEXT_ARRAY,
            ParamType::Inferred | ParamType::Json | ParamType::Array(_) => return None,
        },
        // `Json` stands for `json` and `jsonb`, which have no common
        // operators: the placeholder's context decides.
        ParamType::Inferred | ParamType::Json => return None,
    })
}

/// The unspecified type (OID 0): the server infers the parameter's type.
fn unspecified() -> Type {
    Type::new(String::new(), 0, Kind::Pseudo, String::new())
}

/// The types to prepare a statement of `params` parameters with: `types`
/// as far as they go, the rest inferred.
pub(crate) fn declared(types: &[ParamType], params: usize) -> Vec<Type> {
    let count = types.len().max(params);
    (0..count)
        .map(|i| {
            types
                .get(i)
                .and_then(|ty| pg_type(*ty))
                .unwrap_or_else(unspecified)
        })
        .collect()
}

/// The types of `types` when every one of `params` parameters has a
/// type the server can be told, so that the statement needs no prepare
/// round trip to learn them.
pub(crate) fn all_declared(types: &[ParamType], params: usize) -> Option<Vec<Type>> {
    if types.len() != params {
        return None;
    }
    types.iter().map(|ty| pg_type(*ty)).collect()
}

/// The type under any domains.
fn base(mut ty: &Type) -> &Type {
    while let Kind::Domain(inner) = ty.kind() {
        ty = inner;
    }
    ty
}

fn describe(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Bool(_) => "a bool",
        Value::SmallInt(_) => "an i16",
        Value::Int(_) => "an i32",
        Value::BigInt(_) => "an i64",
        Value::Float(_) => "an f32",
        Value::Double(_) => "an f64",
        Value::Text(_) => "text",
        Value::Blob(_) => "bytes",
        Value::List(_) => "a list",
        #[cfg(feature = "chrono")]
        Value::Date(_) => "a date",
        #[cfg(feature = "chrono")]
        Value::Time(_) => "a time",
        #[cfg(feature = "chrono")]
        Value::Timestamp(_) => "a timestamp",
        #[cfg(feature = "chrono")]
        Value::Timestamptz(_) => "a timestamptz",
        #[cfg(feature = "uuid")]
        Value::Uuid(_) => "a UUID",
        Value::Json(_) => "JSON",
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(_) => "a decimal",
        Value::OwnedText(_) => "text",
        Value::OwnedBlob(_) => "bytes",
        Value::Unbindable(_) => "a value that could not be produced",
    }
}

fn mismatch(value: &Value<'_>, ty: &Type) -> String {
    format!(
        "cannot bind {} to a parameter of type {}",
        describe(value),
        ty.name()
    )
}

fn out_of_range(value: &Value<'_>, ty: &Type) -> String {
    format!(
        "{} is out of range for a parameter of type {}",
        describe(value),
        ty.name()
    )
}

/// The value as an `i64`, if it is an integer.
fn integer(value: &Value<'_>) -> Option<i64> {
    match *value {
        Value::SmallInt(v) => Some(i64::from(v)),
        Value::Int(v) => Some(i64::from(v)),
        Value::BigInt(v) => Some(v),
        _ => None,
    }
}

/// Integers an `f64` holds exactly: up to 2^53.
const F64_EXACT: u64 = 1 << 53;
/// Integers an `f32` holds exactly: up to 2^24.
const F32_EXACT: u64 = 1 << 24;

fn is_text_like(ty: &Type) -> bool {
    <&str as ToSql>::accepts(ty) || matches!(ty.kind(), Kind::Enum(_))
}

/// An integer value (`n`, from `value`) for a parameter of type `ty`.
fn from_integer<'a>(
    n: i64,
    value: &Value<'_>,
    ty: &Type,
    declared: &Type,
) -> Result<PgParam<'a>, String> {
    let range = |_| out_of_range(value, declared);
    Ok(match *ty {
        Type::INT2 => PgParam::I16(i16::try_from(n).map_err(range)?),
        Type::INT4 => PgParam::I32(i32::try_from(n).map_err(range)?),
        Type::INT8 => PgParam::I64(n),
        Type::OID => PgParam::Oid(u32::try_from(n).map_err(range)?),
        Type::NUMERIC => PgParam::NumericInt(n),
        // Only integers the float holds exactly.
        Type::FLOAT4 if n.unsigned_abs() <= F32_EXACT => PgParam::F32(n as f32),
        Type::FLOAT8 if n.unsigned_abs() <= F64_EXACT => PgParam::F64(n as f64),
        Type::FLOAT4 | Type::FLOAT8 => return Err(out_of_range(value, declared)),
        _ => return Err(mismatch(value, declared)),
    })
}

fn param<'a>(value: &'a Value<'_>, declared: &Type) -> Result<PgParam<'a>, String> {
    let ty = base(declared);
    match value {
        Value::Null => return Ok(PgParam::Null),
        Value::Unbindable(why) => return Err(why.clone()),
        Value::OwnedText(s) => return text_param(s, value, ty, declared),
        Value::OwnedBlob(b) if *ty == Type::BYTEA => return Ok(PgParam::Bytes(b)),
        _ => {}
    }
    if let Value::List(items) = value {
        let Kind::Array(member) = ty.kind() else {
            return Err(format!(
                "cannot bind a list to a parameter of type {}: use `= ANY($n)` so that \
                 the parameter is an array",
                declared.name()
            ));
        };
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::List(_) => Err(format!(
                    "element {}: nested lists (multi-dimensional arrays) are not supported",
                    i + 1
                )),
                item => param(item, member).map_err(|m| format!("element {}: {m}", i + 1)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(PgParam::Array);
    }
    if let Some(n) = integer(value) {
        return from_integer(n, value, ty, declared);
    }
    let converted = match (value, ty) {
        (Value::Bool(b), &Type::BOOL) => PgParam::Bool(*b),

        (Value::Float(f), &Type::FLOAT4) => PgParam::F32(*f),
        (v @ Value::Double(d), &Type::FLOAT4) => {
            // Only when nothing is lost.
            let narrowed = *d as f32;
            if f64::from(narrowed) == *d || d.is_nan() {
                PgParam::F32(narrowed)
            } else {
                return Err(format!(
                    "{} would lose precision as a parameter of type {}",
                    describe(v),
                    declared.name()
                ));
            }
        }
        (Value::Float(f), &Type::FLOAT8) => PgParam::F64(f64::from(*f)),
        (Value::Double(d), &Type::FLOAT8) => PgParam::F64(*d),

        (Value::Text(s), ty) => return text_param(s, value, ty, declared),
        (Value::Json(j), &Type::JSON | &Type::JSONB) => PgParam::Json(j),
        (Value::Json(j), ty) if <&str as ToSql>::accepts(ty) => PgParam::Json(j),

        (Value::Blob(b), &Type::BYTEA) => PgParam::Bytes(b),

        #[cfg(feature = "chrono")]
        (Value::Date(d), &Type::DATE) => PgParam::Date(*d),
        #[cfg(feature = "chrono")]
        (Value::Time(t), &Type::TIME) => PgParam::Time(microseconds(*t)?),
        #[cfg(feature = "chrono")]
        (Value::Timestamp(t), &Type::TIMESTAMP) => PgParam::Timestamp(microseconds(*t)?),
        #[cfg(feature = "chrono")]
        (Value::Timestamptz(t), &Type::TIMESTAMPTZ) => PgParam::Timestamptz(microseconds(*t)?),
        #[cfg(feature = "uuid")]
        (Value::Uuid(u), &Type::UUID) => PgParam::Uuid(*u),
        #[cfg(feature = "rust_decimal")]
        (Value::Numeric(d), &Type::NUMERIC) => PgParam::Numeric(*d),

        (v, _) => return Err(mismatch(v, declared)),
    };
    Ok(converted)
}

/// `t`, when PostgreSQL keeps it exactly: its times have microseconds,
/// and tokio-postgres would drop nanoseconds without a word (a leap
/// second, chrono's nanoseconds past 999 999 999, has no value there
/// either). MariaDB's bind refuses the same values.
#[cfg(feature = "chrono")]
fn microseconds<T: chrono::Timelike>(t: T) -> Result<T, String> {
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        Err("PostgreSQL has no leap seconds".to_owned())
    } else if !nanos.is_multiple_of(1_000) {
        Err("PostgreSQL keeps microseconds; the value has nanoseconds (round it first, with chrono's `trunc_subsecs(6)`)".to_owned())
    } else {
        Ok(t)
    }
}

/// Text (`value`, borrowed or owned) for a parameter of type `ty`.
fn text_param<'a>(
    s: &'a str,
    value: &Value<'_>,
    ty: &Type,
    declared: &Type,
) -> Result<PgParam<'a>, String> {
    match *ty {
        Type::JSON | Type::JSONB => Ok(PgParam::JsonText(s)),
        // The server refuses it too, but with a message about encodings.
        _ if is_text_like(ty) && s.contains('\0') => Err(format!(
            "text with a NUL character cannot be a parameter of type {}: PostgreSQL text cannot hold NUL",
            declared.name()
        )),
        _ if is_text_like(ty) => Ok(PgParam::Text(s)),
        _ => Err(mismatch(value, declared)),
    }
}

/// Writes into the driver's buffer through `io::Write`.
struct BufWriter<'b>(&'b mut BytesMut);

impl io::Write for BufWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `NUMERIC`'s binary form of an integer: base-10000 digits, most
/// significant first, without trailing zero digits.
fn numeric_from_int(n: i64, out: &mut BytesMut) -> Result<(), BoxError> {
    const NUMERIC_POS: u16 = 0x0000;
    const NUMERIC_NEG: u16 = 0x4000;
    let mut rest = n.unsigned_abs();
    // Least significant first; an i64 has at most 5 base-10000 digits.
    let mut digits = [0i16; 5];
    let mut len = 0;
    while rest > 0 && len < digits.len() {
        digits[len] = i16::try_from(rest % 10_000)?;
        rest /= 10_000;
        len += 1;
    }
    let weight = i16::try_from(len.saturating_sub(1))?;
    let trailing_zeros = digits[..len].iter().take_while(|d| **d == 0).count();
    let significant = &digits[trailing_zeros..len];
    out.put_i16(i16::try_from(significant.len())?);
    out.put_i16(weight);
    out.put_u16(if n < 0 { NUMERIC_NEG } else { NUMERIC_POS });
    out.put_u16(0); // display scale
    for digit in significant.iter().rev() {
        out.put_i16(*digit);
    }
    Ok(())
}

fn json(value: &serde_json::Value, ty: &Type, out: &mut BytesMut) -> Result<(), BoxError> {
    if *ty == Type::JSONB {
        out.put_u8(1); // JSONB binary format version
    }
    serde_json::to_writer(BufWriter(out), value)?;
    Ok(())
}

impl ToSql for PgParam<'_> {
    fn to_sql(&self, declared: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let ty = base(declared);
        match self {
            PgParam::Null => return Ok(IsNull::Yes),
            PgParam::Bool(v) => return v.to_sql(ty, out),
            PgParam::I16(v) => return v.to_sql(ty, out),
            PgParam::I32(v) => return v.to_sql(ty, out),
            PgParam::I64(v) => return v.to_sql(ty, out),
            PgParam::Oid(v) => return v.to_sql(ty, out),
            PgParam::F32(v) => return v.to_sql(ty, out),
            PgParam::F64(v) => return v.to_sql(ty, out),
            PgParam::NumericInt(v) => numeric_from_int(*v, out)?,
            PgParam::Text(v) => return v.to_sql(ty, out),
            PgParam::Bytes(v) => return v.to_sql(ty, out),
            PgParam::Json(v) => json(v, ty, out)?,
            PgParam::JsonText(v) => {
                if *ty == Type::JSONB {
                    out.put_u8(1);
                }
                out.extend_from_slice(v.as_bytes());
            }
            #[cfg(feature = "chrono")]
            PgParam::Date(v) => return v.to_sql(ty, out),
            #[cfg(feature = "chrono")]
            PgParam::Time(v) => return v.to_sql(ty, out),
            #[cfg(feature = "chrono")]
            PgParam::Timestamp(v) => return v.to_sql(ty, out),
            #[cfg(feature = "chrono")]
            PgParam::Timestamptz(v) => return v.to_sql(ty, out),
            #[cfg(feature = "uuid")]
            PgParam::Uuid(v) => return v.to_sql(ty, out),
            #[cfg(feature = "rust_decimal")]
            PgParam::Numeric(v) => return v.to_sql(ty, out),
            PgParam::Array(items) => {
                // `&[T]` panics on a non-array type: check first.
                if !matches!(ty.kind(), Kind::Array(_)) {
                    return Err(format!("a list cannot be sent as {}", ty.name()).into());
                }
                return items.as_slice().to_sql(ty, out);
            }
        }
        Ok(IsNull::No)
    }

    /// Every parameter was checked against its type by [`convert`].
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_range_is_checked() {
        let err = convert(&[Type::INT2], &[Value::Int(70_000)]).unwrap_err();
        match err {
            Error::Bind { index, message } => {
                assert_eq!(index, 1);
                assert!(message.contains("int2"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(convert(&[Type::INT2], &[Value::BigInt(-5)]).is_ok());
    }

    #[test]
    fn integers_to_floats_only_when_exact() {
        assert!(convert(&[Type::FLOAT8], &[Value::BigInt(1 << 53)]).is_ok());
        assert!(convert(&[Type::FLOAT8], &[Value::BigInt((1 << 53) + 1)]).is_err());
        assert!(convert(&[Type::FLOAT8], &[Value::BigInt(i64::MIN)]).is_err());
        assert!(convert(&[Type::FLOAT4], &[Value::Int(1 << 25)]).is_err());
        assert!(convert(&[Type::FLOAT4], &[Value::SmallInt(-7)]).is_ok());
    }

    #[test]
    fn count_mismatch_is_a_bind_error() {
        let err = convert(&[Type::INT4, Type::INT4], &[Value::Int(1)]).unwrap_err();
        assert!(matches!(err, Error::Bind { index: 2, .. }), "{err:?}");
    }

    #[test]
    fn list_needs_an_array_parameter() {
        let err = convert(&[Type::INT4], &[Value::List(vec![Value::Int(1)])]).unwrap_err();
        assert!(matches!(err, Error::Bind { index: 1, .. }), "{err:?}");
        let values = [Value::List(vec![])];
        let ok = convert(&[Type::INT4_ARRAY], &values).unwrap();
        assert!(matches!(ok.as_slice(), [PgParam::Array(items)] if items.is_empty()));
    }

    #[test]
    fn nul_in_text_is_a_bind_error() {
        let err = convert(&[Type::TEXT], &[Value::Text("a\0b")]).unwrap_err();
        match err {
            Error::Bind { index: 1, message } => assert!(message.contains("NUL"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn times_finer_than_microseconds_are_bind_errors() {
        use chrono::{NaiveDate, NaiveTime};
        let micros = NaiveTime::from_hms_micro_opt(1, 2, 3, 4).unwrap();
        let nanos = NaiveTime::from_hms_nano_opt(1, 2, 3, 4_005).unwrap();
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_000).unwrap();
        let day = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap();
        assert!(convert(&[Type::TIME], &[Value::Time(micros)]).is_ok());
        assert!(
            convert(
                &[Type::TIME_ARRAY],
                &[Value::List(vec![Value::Time(micros)])]
            )
            .is_ok()
        );
        for (ty, value) in [
            (Type::TIME, Value::Time(nanos)),
            (Type::TIME, Value::Time(leap)),
            (Type::TIMESTAMP, Value::Timestamp(day.and_time(nanos))),
            (
                Type::TIMESTAMPTZ,
                Value::Timestamptz(day.and_time(leap).and_utc()),
            ),
            (Type::TIME_ARRAY, Value::List(vec![Value::Time(nanos)])),
        ] {
            match convert(&[ty], &[value]).unwrap_err() {
                Error::Bind { index: 1, message } => {
                    assert!(message.contains("PostgreSQL"), "{message}");
                    assert!(!message.contains("4005"), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn declared_types() {
        let types = declared(&[ParamType::Int, ParamType::Json], 3);
        assert_eq!(types[0], Type::INT4);
        assert_eq!(types[1].oid(), 0);
        assert_eq!(types[2].oid(), 0);
        assert_eq!(
            declared(&[ParamType::Array(&ParamType::Text)], 1),
            [Type::TEXT_ARRAY]
        );
        assert!(all_declared(&[ParamType::Int, ParamType::Json], 2).is_none());
        assert!(all_declared(&[ParamType::Int], 2).is_none());
        assert_eq!(
            all_declared(&[ParamType::Numeric, ParamType::Bool], 2),
            Some(vec![Type::NUMERIC, Type::BOOL])
        );
    }

    #[test]
    fn numeric_encoding() {
        let mut out = BytesMut::new();
        numeric_from_int(-1_0000_0002, &mut out).unwrap();
        // ndigits 3, weight 2, negative, scale 0, digits 1 0000 0002
        assert_eq!(&out[..], &[0, 3, 0, 2, 0x40, 0, 0, 0, 0, 1, 0, 0, 0, 2][..]);
        out.clear();
        numeric_from_int(0, &mut out).unwrap();
        assert_eq!(&out[..], &[0, 0, 0, 0, 0, 0, 0, 0][..]);
        out.clear();
        numeric_from_int(i64::MIN, &mut out).unwrap();
        assert_eq!(out.len(), 8 + 2 * 5);
    }
}
