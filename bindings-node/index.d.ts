// Types of the npm package `prisma-audit`. The report types mirror the report's JSON Schema
// (schema/report.schema.json, schema_version "1"); test/types.test.js checks they stay in sync.

/** Severity of a finding, most severe first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info'
/** Risk area of a rule. */
export type Category =
  | 'migration-integrity'
  | 'data-integrity'
  | 'performance'
  | 'type-safety'
  | 'security'
  | 'scalability-and-operations'
  | 'style'
/** Overall readiness. */
export type Verdict = 'not-ready' | 'ready-with-fixes' | 'ready'
/** Risk level of a category. */
export type Risk = 'critical' | 'high' | 'medium' | 'low'
/** Whether a fix can be applied without review. */
export type FixSafety = 'safe' | 'unsafe'
/** Certain, or heuristic (inferred from names or conventions). */
export type Confidence = 'certain' | 'heuristic'

/** A complete audit result: exactly `prisma-audit PATH --format json`. */
export interface Report {
  /** JSON shape version (`"1"`). */
  schema_version: string
  /** The tool that produced the report. */
  tool: ToolInfo
  /** What was audited. */
  project: ProjectInfo
  /** Verdict and counts. */
  summary: Summary
  /** Findings, sorted by severity, file, position, rule, then message. */
  findings: Finding[]
  /** Good practices the audit confirmed. */
  strengths?: string[]
}

/** Name and version of the tool. */
export interface ToolInfo {
  name: string
  version: string
}

/** What was audited. */
export interface ProjectInfo {
  /** Name of the project root folder. */
  root: string
  /** Datasource provider (`postgresql`, ...). */
  provider?: string | null
  /** Prisma version declared in package.json. */
  prisma_version?: string | null
  /** Schema files, relative to the root. */
  schema_files: string[]
  migrations: number
  models: number
  enums: number
  views: number
  /** Number of rules that ran. */
  rules_run: number
  /** Models left out of the audit, with the reason (`Account (owned by Auth.js)`). */
  excluded_models?: string[]
  /** Which migrations the safety rules judged (absent without a migration history). */
  migration_scope?: ScopeInfo | null
}

/** How the migration scope was resolved. */
export interface ScopeInfo {
  /** `pending`, `all` or `latest`. */
  mode: string
  /** What decided which migrations are pending (`newest migration`, `git: …`, a caller's list). */
  source: string
  /** Migration folders the safety rules judged, oldest first. */
  judged: string[]
  /** Migrations the safety rules did not judge. */
  not_judged: number
}

/** Verdict, counts and risk table. */
export interface Summary {
  verdict: Verdict
  counts: Counts
  /** One row per category. */
  categories: CategorySummary[]
  /** Findings silenced by suppression comments. */
  suppressed?: number
  /** Findings hidden because the baseline already knew them. */
  baselined?: number
  /** Findings inside models left out of the audit. */
  ignored_models?: number
  /** Heuristic findings hidden by `min-confidence`. */
  below_min_confidence?: number
  /** Safety-rule findings in migrations outside the migration scope. */
  outside_migration_scope?: number
}

/** Findings per severity. */
export interface Counts {
  critical: number
  high: number
  medium: number
  low: number
  info: number
}

/** Risk level and finding count of one category. */
export interface CategorySummary {
  category: Category
  risk: Risk
  findings: number
}

/** One problem found by a rule. */
export interface Finding {
  /** Rule id (kebab-case). */
  rule: string
  severity: Severity
  category: Category
  confidence?: Confidence
  /** What is wrong, naming the model/field/index. */
  message: string
  /** Why it matters and what to do. */
  help?: string | null
  /** Where (absent for project-wide findings). */
  location?: Location | null
  /** Other places that explain the finding. */
  related?: Related[]
  /** A proposed fix. */
  fix?: Fix | null
  /** Stable identity of the finding (baselines). */
  fingerprint: string
}

/** A span in one file, path relative to the project root. */
export interface Location {
  file: string
  start: Position
  end: Position
}

/** 1-based line and column. */
export interface Position {
  line: number
  column: number
}

/** Another place that explains a finding. */
export interface Related {
  message: string
  location: Location
}

/** A proposed fix. */
export interface Fix {
  title: string
  safety: FixSafety
  edits: Edit[]
  /** SQL to run (for migration fixes). */
  sql?: string | null
}

/** One text replacement. */
export interface Edit {
  file: string
  start: Position
  end: Position
  start_offset: number
  end_offset: number
  replacement: string
}

/** Configuration: the keys of `prisma-audit.toml`. */
export interface Config {
  /** Fail at or above this severity (used by `failed()` callers; the CLI's `fail-on`). */
  'fail-on'?: Severity
  /** Switch whole categories on or off. */
  categories?: Partial<Record<Category, boolean>>
  /** Per rule: on/off, `"off"` or a severity, or a table of `severity`, `enabled` and options. */
  rules?: Record<string, boolean | Severity | 'off' | ({ severity?: Severity; enabled?: boolean } & Record<string, unknown>)>
  [key: string]: unknown
}

/** What to audit. */
export interface AuditOptions {
  /** Project directory or `.prisma` file (default: the current directory). */
  path?: string | URL
  /** Instead of `path`: in-memory files, relative path -> text. */
  files?: Record<string, string | Uint8Array>
  /** A configuration table, or the path of a configuration file (default: the project's own). */
  config?: Config | string
  /** Schema file or folder relative to the root (the CLI's `--schema`). */
  schema?: string
  /**
   * Which migrations the safety rules judge (the CLI's `--migrations`): `'pending'` (default:
   * changed on this git branch or uncommitted, else the newest), `'all'`, the newest N, or the
   * list of pending migration folder names (e.g. from a deploy tool).
   */
  migrations?: 'pending' | 'all' | number | string[]
}

/** Metadata of a registered rule. */
export interface RuleInfo {
  id: string
  category: Category
  severity: Severity
  fixable: boolean
  /** Whether the rule runs without being enabled in the configuration. */
  enabled: boolean
  summary: string
  /** Markdown documentation. */
  docs: string
}

/** Error codes of thrown errors (`error.code`). */
export type ErrorCode = 'PRISMA_AUDIT_IO' | 'PRISMA_AUDIT_CONFIG' | 'PRISMA_AUDIT_INPUT' | 'PRISMA_AUDIT_INTERNAL'

/** An error thrown by prisma-audit. */
export interface PrismaAuditError extends Error {
  code: ErrorCode
}

/** Audit synchronously. Throws a {@link PrismaAuditError}. */
export function audit(options?: AuditOptions): Report
/** Audit on the libuv thread pool (the main thread stays free). Rejects with a {@link PrismaAuditError}. */
export function auditAsync(options?: AuditOptions): Promise<Report>
/** Audit and render as the CLI's `--format` (`markdown`, `sarif`, `text`, `github`, `json`). */
export function render(options: AuditOptions | undefined, format: 'json' | 'markdown' | 'sarif' | 'text' | 'github'): string
/** A byte range in a source file (UTF-8 offsets, end exclusive). */
export interface ByteSpan { start: number; end: number }
/** An operand of a filter. */
export type QueryValue =
  | { kind: 'literal'; text: string }
  | { kind: 'null' }
  | { kind: 'list'; len: number }
  | { kind: 'dynamic' }
/** A `where` filter; what the code does not write literally is `dynamic`. */
export type QueryFilter =
  | { kind: 'and' | 'or' | 'not'; parts: QueryFilter[] }
  | { kind: 'field'; field: string; op: string; value: QueryValue; insensitive?: boolean }
  | { kind: 'relation'; field: string; quantifier: 'some' | 'every' | 'none' | 'is' | 'isNot' | 'direct'; filter: QueryFilter }
  | { kind: 'maybe'; filter: QueryFilter }
  | { kind: 'dynamic' }
/** `orderBy`. */
export type QueryOrderBy =
  | { kind: 'keys'; keys: { path: string[]; direction?: 'asc' | 'desc' }[] }
  | { kind: 'dynamic' }
/** A `select` or `include` tree. */
export interface QuerySelection { dynamic?: boolean; items: { field: string; span: ByteSpan; args?: QueryArgs }[] }
/** The arguments of a model operation. */
export interface QueryArgs {
  dynamic?: boolean
  where?: QueryFilter
  orderBy?: QueryOrderBy
  take?: QueryValue
  skip?: QueryValue
  cursor?: string[]
  distinct?: string[]
  select?: QuerySelection
  include?: QuerySelection
  by?: string[]
  other?: string[]
  /** `data` fields computed by arithmetic from properties of variables (`quantity: item.quantity - n`). */
  dataReads?: { field: string; span: ByteSpan; reads: string[] }[]
}
/** One Prisma Client call. */
export interface QueryCall {
  span: ByteSpan
  receiver: string
  via: 'client' | 'transaction' | 'imported' | 'accessor'
  accessor?: string
  model?: string
  operation: string
  args?: QueryArgs
  raw?: { text?: string; parameters: number; builtAtRuntime?: boolean; inputs?: QueryInput[]; taggedForm?: { span: ByteSpan; text: string } }
  /** The innermost loop of the same function around the call. */
  inLoop?: { kind: 'for' | 'forOf' | 'forAwait' | 'forIn' | 'map' | 'forEach'; span: ByteSpan; usesLoopVariable: boolean }
  /** The innermost function around the call. */
  function?: ByteSpan
  /** The variable the (awaited) result is declared as. */
  boundTo?: string
}
/** A value pasted into SQL text, traced to where it comes from. */
export interface QueryInput {
  text: string
  span: ByteSpan
  origin: { kind: 'parameter'; function?: string } | { kind: 'request' }
}
/** The Prisma Client calls of one source file (`schema/queries.schema.json`). */
export interface FileQueries {
  path: string
  role: 'app' | 'test' | 'seed' | 'script'
  calls: QueryCall[]
  sqlFragments?: { span: ByteSpan; helper: 'sql' | 'raw' | 'join'; text?: string; parameters: number; builtAtRuntime?: boolean; dynamic?: boolean; inputs?: QueryInput[] }[]
  /** Interactive transactions and the non-Prisma calls awaited inside them. */
  transactions?: { span: ByteSpan; awaits?: { span: ByteSpan; callee: string }[] }[]
  /** Property values converted to numbers as operands of arithmetic. */
  numberConversions?: { span: ByteSpan; property: string; expression: string; how: 'toNumber' | 'number' | 'parseFloat' | 'unaryPlus' }[]
  /** `new PrismaClient(...)` expressions. */
  clients?: { span: ByteSpan; inFunction: boolean; inSingletonHelper?: boolean }[]
  /** The file reads `globalThis` or `global`. */
  readsGlobal?: boolean
  syntaxError?: { message: string; span?: ByteSpan }
}

/** The Prisma Client calls of the project's TypeScript/JavaScript (like `prisma-audit --queries`). */
export function queries(options?: Pick<AuditOptions, 'path' | 'files' | 'schema'>): FileQueries[]
/** Every registered rule. */
export function rules(): RuleInfo[]
/** Whether `report` has a finding at or above `threshold` (default `high`). */
export function failed(report: Report, threshold?: Severity): boolean
/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[]
/** Package version. */
export const version: string
