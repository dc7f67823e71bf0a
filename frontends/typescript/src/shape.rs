//! Query shapes: what a Prisma Client call asks the database for, as far as the source says.
//! Anything not written as a literal in the call (a variable holding the arguments, a computed
//! key) is recorded as dynamic, never guessed.

use schemars::JsonSchema;
use serde::Serialize;

/// A byte range in a source file (UTF-8 offsets, end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct ByteSpan {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// One Prisma Client call found in a source file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryCall {
    /// The whole call expression.
    pub span: ByteSpan,
    /// The client expression as written (`prisma`, `tx`, `this.prisma`, `ctx.db`).
    pub receiver: String,
    /// How the receiver is known to be a Prisma Client.
    pub via: Receiver,
    /// The model accessor as written (`appointment`); `None` for client-level calls
    /// (`$queryRaw`, `$transaction`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessor: Option<String>,
    /// The schema model the accessor names (`Appointment`), when the schema has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The operation.
    pub operation: Operation,
    /// The arguments of a model operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<QueryArgs>,
    /// The SQL of a raw query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawSql>,
    /// The innermost loop of the same function the call runs in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_loop: Option<LoopContext>,
    /// The innermost function around the call (`None` at the top level of a module).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<ByteSpan>,
    /// The variable the call's (awaited) result is declared as: `const item = await
    /// prisma.item.findUnique(...)` → `item`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_to: Option<String>,
}

/// A loop around a call.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoopContext {
    /// The kind of loop.
    pub kind: LoopKind,
    /// The loop statement, or the `.map(...)`/`.forEach(...)` call.
    pub span: ByteSpan,
    /// The call's arguments read the loop's variable (the item or the index).
    pub uses_loop_variable: bool,
}

/// A kind of loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum LoopKind {
    /// `for (...;...;...)`, `while`, `do ... while`.
    For,
    /// `for (const x of xs)`.
    ForOf,
    /// `for await (const x of xs)`.
    ForAwait,
    /// `for (const k in o)`.
    ForIn,
    /// `xs.map(callback)` and `flatMap` (callbacks run concurrently when they are async).
    Map,
    /// `xs.forEach(callback)`.
    ForEach,
}

/// Why a call's receiver is taken for a Prisma Client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Receiver {
    /// Bound in this file to `new PrismaClient(...)`, a `$extends(...)` of a client, or an alias
    /// of one.
    Client,
    /// The parameter of a `$transaction(async (tx) => ...)` callback.
    Transaction,
    /// Imported from another module (`import { prisma } from "@/lib/prisma"`).
    Imported,
    /// Only the call's form says so: a schema model's accessor followed by a Prisma Client
    /// operation (`this.prisma.user.findMany`, `ctx.db.post.create`).
    Accessor,
}

/// A Prisma Client operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum Operation {
    FindUnique,
    FindUniqueOrThrow,
    FindFirst,
    FindFirstOrThrow,
    FindMany,
    Create,
    CreateMany,
    CreateManyAndReturn,
    Update,
    UpdateMany,
    UpdateManyAndReturn,
    Upsert,
    Delete,
    DeleteMany,
    Count,
    Aggregate,
    GroupBy,
    #[serde(rename = "$queryRaw")]
    QueryRaw,
    #[serde(rename = "$queryRawUnsafe")]
    QueryRawUnsafe,
    #[serde(rename = "$executeRaw")]
    ExecuteRaw,
    #[serde(rename = "$executeRawUnsafe")]
    ExecuteRawUnsafe,
}

impl Operation {
    /// The model operation named `name`.
    pub fn of_model(name: &str) -> Option<Operation> {
        use Operation::*;
        Some(match name {
            "findUnique" => FindUnique,
            "findUniqueOrThrow" => FindUniqueOrThrow,
            "findFirst" => FindFirst,
            "findFirstOrThrow" => FindFirstOrThrow,
            "findMany" => FindMany,
            "create" => Create,
            "createMany" => CreateMany,
            "createManyAndReturn" => CreateManyAndReturn,
            "update" => Update,
            "updateMany" => UpdateMany,
            "updateManyAndReturn" => UpdateManyAndReturn,
            "upsert" => Upsert,
            "delete" => Delete,
            "deleteMany" => DeleteMany,
            "count" => Count,
            "aggregate" => Aggregate,
            "groupBy" => GroupBy,
            _ => return None,
        })
    }

    /// The client-level raw query method named `name`.
    pub fn of_client(name: &str) -> Option<Operation> {
        use Operation::*;
        Some(match name {
            "$queryRaw" => QueryRaw,
            "$queryRawUnsafe" => QueryRawUnsafe,
            "$executeRaw" => ExecuteRaw,
            "$executeRawUnsafe" => ExecuteRawUnsafe,
            _ => return None,
        })
    }

    /// The name as called.
    pub fn as_str(self) -> &'static str {
        use Operation::*;
        match self {
            FindUnique => "findUnique",
            FindUniqueOrThrow => "findUniqueOrThrow",
            FindFirst => "findFirst",
            FindFirstOrThrow => "findFirstOrThrow",
            FindMany => "findMany",
            Create => "create",
            CreateMany => "createMany",
            CreateManyAndReturn => "createManyAndReturn",
            Update => "update",
            UpdateMany => "updateMany",
            UpdateManyAndReturn => "updateManyAndReturn",
            Upsert => "upsert",
            Delete => "delete",
            DeleteMany => "deleteMany",
            Count => "count",
            Aggregate => "aggregate",
            GroupBy => "groupBy",
            QueryRaw => "$queryRaw",
            QueryRawUnsafe => "$queryRawUnsafe",
            ExecuteRaw => "$executeRaw",
            ExecuteRawUnsafe => "$executeRawUnsafe",
        }
    }

    /// Whether the operation reads rows by a filter (and so may need an index).
    pub fn reads(self) -> bool {
        use Operation::*;
        matches!(
            self,
            FindUnique
                | FindUniqueOrThrow
                | FindFirst
                | FindFirstOrThrow
                | FindMany
                | Count
                | Aggregate
                | GroupBy
                | Update
                | UpdateMany
                | UpdateManyAndReturn
                | Upsert
                | Delete
                | DeleteMany
        )
    }

    /// Whether this is a raw SQL method.
    pub fn is_raw(self) -> bool {
        use Operation::*;
        matches!(
            self,
            QueryRaw | QueryRawUnsafe | ExecuteRaw | ExecuteRawUnsafe
        )
    }
}

/// The arguments of a model operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueryArgs {
    /// The arguments are not an object literal (a variable, a spread, a call): nothing below is
    /// known.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dynamic: bool,
    /// `where`.
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// `orderBy`, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<OrderBy>,
    /// `take`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub take: Option<Value>,
    /// `skip`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<Value>,
    /// `cursor`: the fields it names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Vec<String>>,
    /// `distinct`: the fields it names (empty when not static).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<Vec<String>>,
    /// `select`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<Selection>,
    /// `include`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<Selection>,
    /// `by` of `groupBy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Vec<String>>,
    /// Other keys given (`data`, `create`, `update`, `_count`, `_sum`, ...), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
    /// Values of `data` computed by arithmetic from properties of variables (`quantity:
    /// item.quantity - n`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_reads: Vec<DataRead>,
}

/// A field of `data` whose value is computed by arithmetic from properties of variables.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DataRead {
    /// The field written.
    pub field: String,
    /// Where its value is.
    pub span: ByteSpan,
    /// The properties read, as `variable.property` (`item.quantity`).
    pub reads: Vec<String>,
}

/// An interactive transaction: `$transaction(async (tx) => ...)`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// The `$transaction(...)` call.
    pub span: ByteSpan,
    /// Calls awaited inside the callback that are not Prisma Client calls, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awaits: Vec<AwaitedCall>,
}

/// A call awaited inside an interactive transaction.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AwaitedCall {
    /// The call.
    pub span: ByteSpan,
    /// The callee as written, whitespace collapsed (`fetch`, `stripe.charges.create`).
    pub callee: String,
}

/// A value converted to a JavaScript number where it is an operand of arithmetic:
/// `sale.total.toNumber() + x`, `Number(item.price) * qty`, `sum += +row.amount`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NumberConversion {
    /// The conversion.
    pub span: ByteSpan,
    /// The property converted (`total` of `sale.total`).
    pub property: String,
    /// The converted expression as written (`sale.total`).
    pub expression: String,
    /// How it is converted.
    pub how: Conversion,
}

/// A conversion to a JavaScript number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Conversion {
    /// `x.toNumber()` (Prisma's `Decimal`).
    ToNumber,
    /// `Number(x)`.
    Number,
    /// `parseFloat(x)`.
    ParseFloat,
    /// `+x`.
    UnaryPlus,
}

impl Conversion {
    /// The conversion as written around `x`.
    pub fn pattern(self) -> &'static str {
        match self {
            Conversion::ToNumber => "x.toNumber()",
            Conversion::Number => "Number(x)",
            Conversion::ParseFloat => "parseFloat(x)",
            Conversion::UnaryPlus => "+x",
        }
    }
}

/// A `where` filter.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Filter {
    /// Every part holds (an object's keys, or `AND`).
    And {
        /// The parts.
        parts: Vec<Filter>,
    },
    /// `OR`.
    Or {
        /// The alternatives.
        parts: Vec<Filter>,
    },
    /// `NOT`.
    Not {
        /// The negated parts.
        parts: Vec<Filter>,
    },
    /// A condition on a scalar field (`status: "OPEN"`, `date: { gte: from }`).
    Field {
        /// The field.
        field: String,
        /// The operator (`equals` for a bare value).
        op: FilterOp,
        /// The operand.
        value: Value,
        /// `mode: "insensitive"` was given.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        insensitive: bool,
    },
    /// A filter through a relation (`customer: { name: x }`, `pets: { some: {...} }`).
    Relation {
        /// The relation field.
        field: String,
        /// `some`, `every`, `none`, `is`, `isNot`, or `direct` for a nested filter without one.
        quantifier: Quantifier,
        /// The filter on the related model.
        filter: Box<Filter>,
    },
    /// Conditions added only on some paths (`...(search && { name: { contains: search } })`).
    Maybe {
        /// The conditions.
        filter: Box<Filter>,
    },
    /// Not known statically (a variable, a spread, a computed key).
    Dynamic,
}

/// A scalar filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum FilterOp {
    Equals,
    Not,
    In,
    NotIn,
    Lt,
    Lte,
    Gt,
    Gte,
    Contains,
    StartsWith,
    EndsWith,
    Search,
    Has,
    HasSome,
    HasEvery,
    IsEmpty,
    /// A JSON filter (`path`, `string_contains`, `array_contains`, ...).
    Json,
}

impl FilterOp {
    /// The operator named `key` inside a field's filter object.
    pub fn of(key: &str) -> Option<FilterOp> {
        use FilterOp::*;
        Some(match key {
            "equals" => Equals,
            "not" => Not,
            "in" => In,
            "notIn" => NotIn,
            "lt" => Lt,
            "lte" => Lte,
            "gt" => Gt,
            "gte" => Gte,
            "contains" => Contains,
            "startsWith" => StartsWith,
            "endsWith" => EndsWith,
            "search" => Search,
            "has" => Has,
            "hasSome" => HasSome,
            "hasEvery" => HasEvery,
            "isEmpty" => IsEmpty,
            "path" | "string_contains" | "string_starts_with" | "string_ends_with"
            | "array_contains" | "array_starts_with" | "array_ends_with" => Json,
            _ => return None,
        })
    }

    /// Whether the operator compares for equality (an index prefix column).
    pub fn is_equality(self) -> bool {
        matches!(self, FilterOp::Equals | FilterOp::In)
    }

    /// Whether the operator is a range (an index column after the equality prefix).
    pub fn is_range(self) -> bool {
        matches!(
            self,
            FilterOp::Lt | FilterOp::Lte | FilterOp::Gt | FilterOp::Gte | FilterOp::StartsWith
        )
    }
}

/// How a relation filter quantifies over the related rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum Quantifier {
    Some,
    Every,
    None,
    Is,
    IsNot,
    /// A nested filter on a to-one relation without `is`.
    Direct,
}

/// An operand.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Value {
    /// A literal (`"OPEN"`, `10`, `true`), as written.
    Literal {
        /// The source text.
        text: String,
    },
    /// `null` or `undefined` (`undefined` makes Prisma ignore the condition).
    Null,
    /// An array literal of this many elements.
    List {
        /// Number of elements.
        len: usize,
    },
    /// Anything else: a variable, a call, a template.
    Dynamic,
}

/// `orderBy`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum OrderBy {
    /// Static sort keys, in order.
    Keys {
        /// The keys.
        keys: Vec<OrderKey>,
    },
    /// Not known statically.
    Dynamic,
}

/// One sort key.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderKey {
    /// The field, through relations (`["customer", "name"]`), or `["_count"]`, ...
    pub path: Vec<String>,
    /// `asc`/`desc` when written as a literal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum Direction {
    Asc,
    Desc,
}

/// A `select` or `include` tree.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    /// Not an object literal.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dynamic: bool,
    /// The selected fields and relations, in source order.
    pub items: Vec<SelectItem>,
}

/// One field or relation of a selection.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectItem {
    /// The field (`_count` for counts).
    pub field: String,
    /// The property (`posts: { take: 5 }`).
    pub span: ByteSpan,
    /// The arguments of a relation given as an object (`posts: { where, orderBy, take }`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<Box<QueryArgs>>,
}

/// The SQL of a raw query.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RawSql {
    /// The SQL text with `${…}` placeholders as `$1`, `$2`, ... when it is a literal or a
    /// template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Values interpolated into a tagged template (sent as parameters).
    pub parameters: usize,
    /// The SQL text is built at run time (a variable, concatenation, or a template literal
    /// with interpolations passed to an `Unsafe` method): values are pasted into the SQL.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub built_at_runtime: bool,
    /// The pasted values whose origin is input: a text parameter of the enclosing function, or
    /// request data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// The same query as a tagged template, when an `Unsafe` call with a template literal can
    /// be written so (see [`TaggedForm`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tagged_form: Option<TaggedForm>,
}

/// An `Unsafe` raw call rewritten as a tagged template: every interpolated value and every
/// `$n` argument becomes a parameter, and a quoted SQL string holding interpolations becomes one
/// parameter (`'%${term}%'` → `${`%${term}%`}`). Not offered when an interpolation stands for
/// an identifier or a list (`ORDER BY ${column}`, `IN (${ids})`), which cannot be parameters.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaggedForm {
    /// From the method name to the end of the call (`$queryRawUnsafe(...)`).
    pub span: ByteSpan,
    /// Its replacement (`$queryRaw`...``).
    pub text: String,
}

/// A value pasted into SQL text, traced to where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The expression as written (`title`, `req.query.sort`).
    pub text: String,
    /// Where it is.
    pub span: ByteSpan,
    /// Where the value comes from.
    pub origin: Origin,
}

/// Where a pasted value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Origin {
    /// A parameter of the enclosing function typed `string` (or untyped).
    Parameter {
        /// The function's name, when it has one.
        #[serde(skip_serializing_if = "Option::is_none")]
        function: Option<String>,
    },
    /// Request data: `req.body`/`query`/`params`, `searchParams`, `formData.get(...)`.
    Request,
}

/// A piece of SQL built with the `Prisma` namespace helpers.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SqlFragment {
    /// The helper call or tagged template.
    pub span: ByteSpan,
    /// Which helper.
    pub helper: SqlHelper,
    /// For `Prisma.sql`, the SQL with `${…}` shown as `$1`, `$2`, ...; for `Prisma.raw`, its
    /// text when it is a literal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Values interpolated into `Prisma.sql` (sent as parameters).
    pub parameters: usize,
    /// `Prisma.raw` of text built at run time (a template with interpolations, or a
    /// concatenation with a non-literal): pasted into the SQL as is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub built_at_runtime: bool,
    /// `Prisma.raw` of a value not known statically (a variable, a call).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dynamic: bool,
    /// The pasted values whose origin is input (see [`RawSql::inputs`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
}

/// A `Prisma` namespace SQL helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SqlHelper {
    /// `Prisma.sql` (tagged template or call): parameterised.
    Sql,
    /// `Prisma.raw(text)`: pasted into the SQL unescaped.
    Raw,
    /// `Prisma.join(values, separator)`: parameters joined.
    Join,
}

/// A `new PrismaClient(...)` expression.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientConstruction {
    /// `new PrismaClient` (up to the end of the class name).
    pub span: ByteSpan,
    /// Inside a function (a factory or a lazy getter) rather than at the top level of the
    /// module.
    pub in_function: bool,
    /// Inside the arguments of a caching helper (`singleton("prisma", () => new
    /// PrismaClient())`, `singletonSync(...)`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_singleton_helper: bool,
}
