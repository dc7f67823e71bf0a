//! Native database types: `@db.X(args)` and the type Prisma uses when none is written.
//!
//! Native types are named the way the schema names them (`VarChar`, `Timestamp`, `DoublePrecision`)
//! so explicit and implicit types compare equal; [`NativeType::sql`] renders the database
//! spelling Prisma Migrate writes in DDL (`varchar(191)`, `timestamp(3)`, `double precision`).

use super::datasource::Provider;
use super::types::ScalarType;
use std::fmt;

/// A native type: the attribute name after `db.` and its arguments as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NativeType {
    /// `VarChar`, `Timestamptz`, `Text`...
    pub name: super::types::Name,
    /// Arguments as written (`["255"]`, `["65", "30"]`, `["max"]`).
    pub args: NativeArgs,
}

/// The arguments of a native type. Two are stored inline (no native type takes more), so a
/// `@db.X(...)` attribute costs no allocation for them. Dereferences to a slice.
pub type NativeArgs = smallvec::SmallVec<[super::types::Name; 2]>;

impl NativeType {
    /// A native type from a name and arguments.
    pub fn new(name: &str, args: &[&str]) -> Self {
        NativeType {
            name: super::types::Name::new(name),
            args: args.iter().map(super::types::Name::new).collect(),
        }
    }
    /// The type in the database's own spelling, e.g. `varchar(191)`, `timestamp(3)`,
    /// `double precision`, `NVARCHAR(1000)`.
    pub fn sql(&self, provider: Provider) -> String {
        let base = sql_base_name(provider, &self.name);
        if self.args.is_empty() {
            base
        } else {
            format!("{base}({})", self.args.join(","))
        }
    }
}

impl fmt::Display for NativeType {
    /// `@db`-style rendering without the prefix: `VarChar(255)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if !self.args.is_empty() {
            write!(f, "({})", self.args.join(", "))?;
        }
        Ok(())
    }
}

/// The database spelling of a native type name (without arguments).
fn sql_base_name(provider: Provider, name: &str) -> String {
    let mapped = match provider {
        Provider::PostgreSql => match name {
            "DoublePrecision" => Some("double precision"),
            "Timestamptz" => Some("timestamptz"),
            "JsonB" => Some("jsonb"),
            "ByteA" => Some("bytea"),
            "VarBit" => Some("varbit"),
            "Uuid" => Some("uuid"),
            _ => None,
        },
        Provider::CockroachDb => match name {
            "String" => Some("STRING"),
            "Int4" => Some("INT4"),
            "Int8" => Some("INT8"),
            "Int2" => Some("INT2"),
            "Float8" => Some("FLOAT8"),
            "Float4" => Some("FLOAT4"),
            "Bool" => Some("BOOL"),
            "Bytes" => Some("BYTES"),
            "JsonB" => Some("JSONB"),
            "Timestamp" => Some("TIMESTAMP"),
            "Timestamptz" => Some("TIMESTAMPTZ"),
            "Decimal" => Some("DECIMAL"),
            _ => None,
        },
        Provider::SqlServer | Provider::Sqlite => return name.to_ascii_uppercase(),
        Provider::MySql | Provider::MongoDb => None,
    };
    mapped.map_or_else(|| name.to_ascii_lowercase(), str::to_string)
}

/// The native type Prisma Migrate uses for `scalar` on `provider` when no `@db.X` is written.
///
/// `None` where the provider has no such type (Json on SQL Server, Decimal on MongoDB) or has no
/// native types at all (MongoDB stores BSON; its BSON type names are returned for information).
///
/// Sources: Prisma schema reference "Model field scalar types" tables and the DDL that
/// `prisma migrate diff` writes (SQLite columns are written as `DATETIME`, `BIGINT`, `JSONB`).
pub fn default_native_type(provider: Provider, scalar: ScalarType) -> Option<NativeType> {
    use ScalarType as S;
    let t = |name: &str, args: &[&str]| Some(NativeType::new(name, args));
    match provider {
        Provider::PostgreSql => match scalar {
            S::String => t("Text", &[]),
            S::Boolean => t("Boolean", &[]),
            S::Int => t("Integer", &[]),
            S::BigInt => t("BigInt", &[]),
            S::Float => t("DoublePrecision", &[]),
            S::Decimal => t("Decimal", &["65", "30"]),
            S::DateTime => t("Timestamp", &["3"]),
            S::Json => t("JsonB", &[]),
            S::Bytes => t("ByteA", &[]),
        },
        Provider::CockroachDb => match scalar {
            S::String => t("String", &[]),
            S::Boolean => t("Bool", &[]),
            S::Int => t("Int4", &[]),
            S::BigInt => t("Int8", &[]),
            S::Float => t("Float8", &[]),
            S::Decimal => t("Decimal", &["65", "30"]),
            S::DateTime => t("Timestamp", &["3"]),
            S::Json => t("JsonB", &[]),
            S::Bytes => t("Bytes", &[]),
        },
        Provider::MySql => match scalar {
            S::String => t("VarChar", &["191"]),
            S::Boolean => t("TinyInt", &["1"]),
            S::Int => t("Int", &[]),
            S::BigInt => t("BigInt", &[]),
            S::Float => t("Double", &[]),
            S::Decimal => t("Decimal", &["65", "30"]),
            S::DateTime => t("DateTime", &["3"]),
            S::Json => t("Json", &[]),
            S::Bytes => t("LongBlob", &[]),
        },
        Provider::Sqlite => match scalar {
            S::String => t("Text", &[]),
            S::Boolean => t("Boolean", &[]),
            S::Int => t("Integer", &[]),
            S::BigInt => t("BigInt", &[]),
            S::Float => t("Real", &[]),
            S::Decimal => t("Decimal", &[]),
            S::DateTime => t("DateTime", &[]),
            S::Json => t("JsonB", &[]),
            S::Bytes => t("Blob", &[]),
        },
        Provider::SqlServer => match scalar {
            S::String => t("NVarChar", &["1000"]),
            S::Boolean => t("Bit", &[]),
            S::Int => t("Int", &[]),
            S::BigInt => t("BigInt", &[]),
            S::Float => t("Float", &["53"]),
            S::Decimal => t("Decimal", &["32", "16"]),
            S::DateTime => t("DateTime2", &[]),
            S::Json => None,
            S::Bytes => t("VarBinary", &["max"]),
        },
        Provider::MongoDb => match scalar {
            S::String => t("String", &[]),
            S::Boolean => t("Bool", &[]),
            S::Int => t("Int", &[]),
            S::BigInt => t("Long", &[]),
            S::Float => t("Double", &[]),
            S::Decimal => None,
            S::DateTime => t("Date", &[]),
            S::Json => t("Json", &[]),
            S::Bytes => t("BinData", &[]),
        },
    }
}

/// The native type names `@db.X` accepts per provider and the scalar types each applies to.
/// `None` when the name is unknown for the provider.
pub fn native_type_scalars(provider: Provider, name: &str) -> Option<&'static [ScalarType]> {
    use ScalarType as S;
    const STR: &[ScalarType] = &[S::String];
    const INT: &[ScalarType] = &[S::Int];
    const BIG: &[ScalarType] = &[S::BigInt];
    const INTS: &[ScalarType] = &[S::Int, S::BigInt];
    const FLT: &[ScalarType] = &[S::Float];
    const DEC: &[ScalarType] = &[S::Decimal];
    // SQL Server's money types go on Float only (prisma@7 rejects them on Decimal).
    const MONEY: &[ScalarType] = &[S::Float];
    const DT: &[ScalarType] = &[S::DateTime];
    const BOOL: &[ScalarType] = &[S::Boolean];
    const JSON: &[ScalarType] = &[S::Json];
    const BYTES: &[ScalarType] = &[S::Bytes];
    const BOOL_INT: &[ScalarType] = &[S::Boolean, S::Int];
    Some(match provider {
        Provider::PostgreSql => match name {
            "Text" | "Char" | "VarChar" | "Bit" | "VarBit" | "Uuid" | "Xml" | "Inet" | "Citext" => {
                STR
            }
            "Boolean" => BOOL,
            "Integer" | "SmallInt" | "Oid" => INT,
            "BigInt" => BIG,
            "DoublePrecision" | "Real" => FLT,
            "Decimal" | "Money" => DEC,
            "Timestamp" | "Timestamptz" | "Date" | "Time" | "Timetz" => DT,
            "Json" | "JsonB" => JSON,
            "ByteA" => BYTES,
            _ => return None,
        },
        Provider::CockroachDb => match name {
            "String" | "Char" | "CatalogSingleChar" | "Bit" | "VarBit" | "Uuid" | "Inet" => STR,
            "Bool" => BOOL,
            "Int2" | "Int4" | "Oid" => INT,
            "Int8" => BIG,
            "Float4" | "Float8" => FLT,
            "Decimal" => DEC,
            "Timestamp" | "Timestamptz" | "Date" | "Time" | "Timetz" => DT,
            "JsonB" => JSON,
            "Bytes" => BYTES,
            _ => return None,
        },
        Provider::MySql => match name {
            "VarChar" | "Text" | "Char" | "TinyText" | "MediumText" | "LongText" => STR,
            "Bit" => &[S::Boolean, S::Bytes],
            "TinyInt" => BOOL_INT,
            "Int" | "UnsignedInt" | "SmallInt" | "UnsignedSmallInt" | "MediumInt"
            | "UnsignedMediumInt" | "UnsignedTinyInt" | "Year" => INT,
            "BigInt" | "UnsignedBigInt" => BIG,
            "Float" | "Double" => FLT,
            "Decimal" => DEC,
            "DateTime" | "Date" | "Time" | "Timestamp" => DT,
            "Json" => JSON,
            "Binary" | "VarBinary" | "TinyBlob" | "Blob" | "MediumBlob" | "LongBlob" => BYTES,
            _ => return None,
        },
        Provider::SqlServer => match name {
            "Char" | "NChar" | "VarChar" | "NVarChar" | "Text" | "NText" | "Xml"
            | "UniqueIdentifier" => STR,
            "Bit" => BOOL_INT,
            "TinyInt" | "SmallInt" | "Int" => INT,
            "BigInt" => BIG,
            "Float" | "Real" => FLT,
            "Decimal" => DEC,
            "Money" | "SmallMoney" => MONEY,
            "Date" | "Time" | "DateTime" | "DateTime2" | "SmallDateTime" | "DateTimeOffset" => DT,
            "Binary" | "VarBinary" | "Image" => BYTES,
            _ => return None,
        },
        Provider::MongoDb => match name {
            "String" => STR,
            "ObjectId" => &[S::String, S::Bytes],
            "Int" => INT,
            "Long" => INTS,
            "Double" => FLT,
            "Bool" => BOOL,
            "Date" | "Timestamp" => DT,
            "BinData" => BYTES,
            "Json" => JSON,
            _ => return None,
        },
        Provider::Sqlite => return None,
    })
}

/// The arguments a native type takes (for the names [`native_type_scalars`] knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NativeArgKind {
    /// None: `@db.Text`.
    None,
    /// Exactly one nonnegative integer: MySQL's `VarChar(191)`.
    One,
    /// At most one nonnegative integer: `Timestamp(3)`, PostgreSQL's `VarChar`.
    Optional,
    /// At most one nonnegative integer or `Max`: SQL Server's `NVarChar(Max)`.
    OptionalOrMax,
    /// None, or precision and scale: `Decimal(10, 2)`.
    Decimal,
}

/// The arguments of native type `name` on `provider` (checked with prisma@7).
pub(crate) fn native_type_args(provider: Provider, name: &str) -> NativeArgKind {
    use NativeArgKind::*;
    match (provider, name) {
        (_, "Decimal") if provider != Provider::MongoDb => Decimal,
        (
            Provider::PostgreSql,
            "VarChar" | "Char" | "Bit" | "VarBit" | "Timestamp" | "Timestamptz" | "Time" | "Timetz",
        ) => Optional,
        (
            Provider::CockroachDb,
            "String" | "Char" | "Bit" | "VarBit" | "Timestamp" | "Timestamptz" | "Time" | "Timetz",
        ) => Optional,
        (Provider::MySql, "VarChar" | "Char" | "Bit" | "Binary" | "VarBinary") => One,
        (Provider::MySql, "DateTime" | "Timestamp" | "Time") => Optional,
        (Provider::SqlServer, "VarChar" | "NVarChar" | "VarBinary") => OptionalOrMax,
        (Provider::SqlServer, "Char" | "NChar" | "Binary" | "Float") => Optional,
        _ => None,
    }
}
