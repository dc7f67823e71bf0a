//! From an oxc syntax tree to [`QueryCall`]s.
//!
//! A call is a Prisma Client call when its callee is `<client>.<accessor>.<operation>(…)` with a
//! Prisma operation and, when the schema is known, an accessor of one of its models; or
//! `<client>.$queryRaw…` / `$executeRaw…`. The client expression is classified by what this
//! file says about it ([`Receiver`]); nothing is resolved across files.

use crate::shape::*;
use oxc_ast::ast::*;
use oxc_ast_visit::{Visit, walk};
use oxc_span::GetSpan;
use std::collections::{HashMap, HashSet};

/// The schema's models by Prisma Client accessor (`appointment` → `Appointment`).
#[derive(Debug, Clone, Default)]
pub struct Models {
    by_accessor: HashMap<String, String>,
}

impl Models {
    /// The accessors of the given model names (the name with a lower-case first letter, as
    /// Prisma Client generates them; `@@map` does not change them).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let by_accessor = names
            .into_iter()
            .map(|name| (accessor_of(name), name.to_string()))
            .collect();
        Self { by_accessor }
    }

    /// The model behind `accessor`.
    pub fn model_of(&self, accessor: &str) -> Option<&str> {
        self.by_accessor.get(accessor).map(String::as_str)
    }

    /// Whether no model is known (no schema): calls are then accepted only on receivers this
    /// file shows to be clients.
    pub fn is_empty(&self) -> bool {
        self.by_accessor.is_empty()
    }
}

/// Prisma Client's accessor of a model: its name with the first letter in lower case.
pub fn accessor_of(model: &str) -> String {
    let mut chars = model.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the first pass learns about names in the file.
#[derive(Default)]
struct Bindings {
    clients: HashSet<String>,
    transactions: HashSet<String>,
    imported: HashSet<String>,
    consts: Consts,
    /// Inside a `const` declaration.
    in_const: bool,
    /// Names bound with `const` to a string or number literal (a constant, not input).
    literals: HashSet<String>,
    /// The bodies of the functions being visited, innermost last.
    scopes: Vec<oxc_span::Span>,
}

/// Object literals bound with `const` (`const where = { tenantId }`), read as a filter and as
/// arguments when declared, so that `findMany({ where })` sees the literal. A name bound twice
/// in the file is not resolved; a name whose properties are assigned later
/// (`where.OR = [...]`) is marked as extended.
/// A literal is used only inside the function that declares it (or anywhere, when declared at
/// the top level).
#[derive(Default)]
pub(crate) struct Consts {
    objects: HashMap<String, Option<Bound>>,
    extended: HashSet<String>,
    /// Where the call being read starts.
    at: std::cell::Cell<u32>,
}

/// A `const` object literal, read, and the function body it is declared in.
struct Bound {
    filter: Filter,
    args: QueryArgs,
    scope: Option<oxc_span::Span>,
}

impl Consts {
    /// The literal `name` is bound to (as a filter and as arguments), and whether it is
    /// extended later; `None` when the call being read is outside the declaring function.
    fn object(&self, name: &str) -> Option<(&Filter, &QueryArgs, bool)> {
        let b = self.objects.get(name)?.as_ref()?;
        let at = self.at.get();
        if b.scope.is_some_and(|s| at < s.start || at >= s.end) {
            return None;
        }
        Some((&b.filter, &b.args, self.extended.contains(name)))
    }
}

impl<'a> Visit<'a> for Bindings {
    fn visit_function(&mut self, it: &Function<'a>, flags: oxc_syntax::scope::ScopeFlags) {
        self.scopes.push(it.span);
        walk::walk_function(self, it, flags);
        self.scopes.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        self.scopes.push(it.span);
        walk::walk_arrow_function_expression(self, it);
        self.scopes.pop();
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        if let Some(m) = it.left.as_member_expression()
            && let Expression::Identifier(id) = m.object().get_inner_expression()
        {
            self.consts.extended.insert(id.name.to_string());
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_import_declaration(&mut self, it: &ImportDeclaration<'a>) {
        for s in it.specifiers.iter().flatten() {
            let local = match s {
                ImportDeclarationSpecifier::ImportSpecifier(s) => &s.local,
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => &s.local,
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => &s.local,
            };
            self.imported.insert(local.name.to_string());
        }
    }

    fn visit_variable_declaration(&mut self, it: &VariableDeclaration<'a>) {
        let outer = self.in_const;
        self.in_const = it.kind == VariableDeclarationKind::Const;
        walk::walk_variable_declaration(self, it);
        self.in_const = outer;
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init) {
            if self.is_client_expr(init) {
                self.clients.insert(id.name.to_string());
            }
            let literal = matches!(
                init.get_inner_expression(),
                Expression::StringLiteral(_) | Expression::NumericLiteral(_)
            ) || matches!(init.get_inner_expression(), Expression::TemplateLiteral(t) if t.expressions.is_empty());
            if self.in_const && literal {
                self.literals.insert(id.name.to_string());
            }
            self.consts.at.set(it.span.start);
            let object = match init.get_inner_expression() {
                Expression::ObjectExpression(o) if self.in_const => Some(Bound {
                    filter: filter_of(init, &self.consts),
                    args: args_of(o, &self.consts),
                    scope: self.scopes.last().copied(),
                }),
                _ => None,
            };
            self.consts
                .objects
                .entry(id.name.to_string())
                .and_modify(|seen| *seen = None)
                .or_insert(object);
        }
        walk::walk_variable_declarator(self, it);
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        // `x.$transaction(async (tx) => ...)`: `tx` is a client inside the callback.
        if let Some(member) = it.callee.get_inner_expression().as_member_expression()
            && member.static_property_name() == Some("$transaction")
            && let Some(first) = it.arguments.first().and_then(Argument::as_expression)
        {
            let params = match first.get_inner_expression() {
                Expression::ArrowFunctionExpression(f) => Some(&f.params),
                Expression::FunctionExpression(f) => Some(&f.params),
                _ => None,
            };
            if let Some(p) = params.and_then(|p| p.items.first())
                && let BindingPattern::BindingIdentifier(id) = &p.pattern
            {
                self.transactions.insert(id.name.to_string());
            }
        }
        walk::walk_call_expression(self, it);
    }
}

impl Bindings {
    /// `new PrismaClient(...)`, `g.prisma ?? new PrismaClient()`, `client.$extends(...)`, or a
    /// name already bound to a client.
    fn is_client_expr(&self, e: &Expression<'_>) -> bool {
        match e.get_inner_expression() {
            Expression::NewExpression(n) => matches!(
                n.callee.get_inner_expression(),
                Expression::Identifier(id) if id.name.as_str().ends_with("PrismaClient")
            ),
            Expression::LogicalExpression(l) => {
                self.is_client_expr(&l.left) || self.is_client_expr(&l.right)
            }
            Expression::ConditionalExpression(c) => {
                self.is_client_expr(&c.consequent) || self.is_client_expr(&c.alternate)
            }
            Expression::CallExpression(c) => match c.callee.get_inner_expression() {
                callee @ (Expression::StaticMemberExpression(_)
                | Expression::ComputedMemberExpression(_)) => {
                    let m = callee.as_member_expression();
                    m.is_some_and(|m| {
                        m.static_property_name() == Some("$extends")
                            && self.is_client_expr(m.object())
                    })
                }
                _ => false,
            },
            Expression::Identifier(id) => self.clients.contains(id.name.as_str()),
            _ => false,
        }
    }
}

/// Extract the Prisma Client calls of one parsed program.
/// What a file's syntax tree holds for the rules.
pub(crate) struct Extracted {
    pub calls: Vec<QueryCall>,
    pub fragments: Vec<SqlFragment>,
    pub transactions: Vec<Transaction>,
    pub conversions: Vec<NumberConversion>,
    pub clients: Vec<ClientConstruction>,
    pub reads_global: bool,
}

pub(crate) fn calls(program: &Program<'_>, text: &str, models: &Models) -> Extracted {
    let mut bindings = Bindings::default();
    bindings.visit_program(program);
    let mut finder = Finder {
        text,
        models,
        bindings,
        calls: Vec::new(),
        fragments: Vec::new(),
        functions: Vec::new(),
        function_spans: Vec::new(),
        loops: Vec::new(),
        transactions: Vec::new(),
        open_transactions: Vec::new(),
        conversions: Vec::new(),
        clients: Vec::new(),
        reads_global: false,
        singleton_helpers: 0,
    };
    finder.visit_program(program);
    Extracted {
        calls: finder.calls,
        fragments: finder.fragments,
        transactions: finder.transactions,
        conversions: finder.conversions,
        clients: finder.clients,
        reads_global: finder.reads_global,
    }
}

struct Finder<'t> {
    text: &'t str,
    models: &'t Models,
    bindings: Bindings,
    calls: Vec<QueryCall>,
    fragments: Vec<SqlFragment>,
    /// The functions being visited, innermost last: their name and the names that carry
    /// input in them (text parameters, and locals computed from input), with the origin.
    functions: Vec<Frame>,
    /// The loops being visited, innermost last: kind, span, variable names, and the number of
    /// functions entered when the loop started (a loop applies to calls of the same function,
    /// or of its callback for `.map`/`.forEach`).
    loops: Vec<(LoopKind, ByteSpan, Vec<String>, usize)>,
    /// The spans of the functions being visited, innermost last.
    function_spans: Vec<ByteSpan>,
    transactions: Vec<Transaction>,
    /// Indexes into `transactions` of the callbacks being visited, innermost last.
    open_transactions: Vec<usize>,
    conversions: Vec<NumberConversion>,
    clients: Vec<ClientConstruction>,
    reads_global: bool,
    /// Calls of a helper named like a singleton cache being visited.
    singleton_helpers: usize,
}

/// The names a variable declaration binds.
fn declared_names(d: &VariableDeclaration<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for decl in &d.declarations {
        bound_names(&decl.id, &mut out);
    }
    out
}

/// The names a binding pattern binds.
fn bound_names(p: &BindingPattern<'_>, out: &mut Vec<String>) {
    match p {
        BindingPattern::BindingIdentifier(id) => out.push(id.name.to_string()),
        BindingPattern::ObjectPattern(o) => {
            for prop in &o.properties {
                bound_names(&prop.value, out);
            }
        }
        BindingPattern::ArrayPattern(a) => {
            for el in a.elements.iter().flatten() {
                bound_names(el, out);
            }
        }
        BindingPattern::AssignmentPattern(a) => bound_names(&a.left, out),
    }
}

/// A function being visited: its name, and the names that carry input in it.
type Frame = (Option<String>, Vec<(String, Origin)>);

/// Identifiers an expression reads, and whether it reads request data.
#[derive(Default)]
struct Reads {
    names: Vec<String>,
    request: bool,
}

impl<'a> Visit<'a> for Reads {
    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        self.names.push(it.name.to_string());
    }

    fn visit_expression(&mut self, it: &Expression<'a>) {
        if request_data(it) {
            self.request = true;
            return;
        }
        walk::walk_expression(self, it);
    }
}

/// The parameters of a function that can carry arbitrary text: typed `string`, untyped, or of
/// another type that is not a number, a boolean or a union of literals.
fn text_params(params: &FormalParameters<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for p in &params.items {
        match &p.pattern {
            BindingPattern::BindingIdentifier(id) => {
                let safe = p
                    .type_annotation
                    .as_ref()
                    .is_some_and(|t| safe_type(&t.type_annotation));
                if !safe {
                    out.push(id.name.to_string());
                }
            }
            // `({ title, sort }: Input)`: each destructured name (the type says nothing
            // about one property on its own).
            BindingPattern::ObjectPattern(o) => {
                for prop in &o.properties {
                    if let BindingPattern::BindingIdentifier(id) = &prop.value {
                        out.push(id.name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Types whose values cannot inject SQL: numbers, booleans, and unions of literals.
fn safe_type(t: &TSType<'_>) -> bool {
    match t {
        TSType::TSNumberKeyword(_) | TSType::TSBooleanKeyword(_) | TSType::TSBigIntKeyword(_) => {
            true
        }
        TSType::TSLiteralType(_) => true,
        TSType::TSUnionType(u) => u.types.iter().all(safe_type),
        _ => false,
    }
}

fn byte_span(s: oxc_span::Span) -> ByteSpan {
    ByteSpan {
        start: s.start,
        end: s.end,
    }
}

impl<'a> Visit<'a> for Finder<'_> {
    fn visit_function(&mut self, it: &Function<'a>, flags: oxc_syntax::scope::ScopeFlags) {
        let name = it.id.as_ref().map(|id| id.name.to_string());
        let origin = Origin::Parameter {
            function: name.clone(),
        };
        let params = text_params(&it.params)
            .into_iter()
            .map(|p| (p, origin.clone()))
            .collect();
        self.functions.push((name, params));
        self.function_spans.push(byte_span(it.span));
        walk::walk_function(self, it, flags);
        self.function_spans.pop();
        self.functions.pop();
    }

    fn visit_arrow_function_expression(&mut self, it: &ArrowFunctionExpression<'a>) {
        let params = text_params(&it.params)
            .into_iter()
            .map(|p| (p, Origin::Parameter { function: None }))
            .collect();
        self.functions.push((None, params));
        self.function_spans.push(byte_span(it.span));
        walk::walk_arrow_function_expression(self, it);
        self.function_spans.pop();
        self.functions.pop();
    }

    fn visit_variable_declarator(&mut self, it: &VariableDeclarator<'a>) {
        // `const title = sanitize(payload.title)`: a local computed from input carries it.
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init)
            && !self.functions.is_empty()
        {
            let mut reads = Reads::default();
            reads.visit_expression(init);
            let origin = if reads.request {
                Some(Origin::Request)
            } else {
                reads.names.iter().find_map(|n| self.origin_of(n))
            };
            if let Some(origin) = origin
                && let Some((_, names)) = self.functions.last_mut()
            {
                names.push((id.name.to_string(), origin));
            }
        }
        walk::walk_variable_declarator(self, it);
        // `const item = await prisma.item.findUnique(...)`: the call's result has a name.
        if let (BindingPattern::BindingIdentifier(id), Some(init)) = (&it.id, &it.init) {
            let mut e = init.get_inner_expression();
            if let Expression::AwaitExpression(a) = e {
                e = a.argument.get_inner_expression();
            }
            if let Expression::CallExpression(c) = e {
                let span = byte_span(c.span);
                if let Some(call) = self.calls.iter_mut().rev().find(|q| q.span == span) {
                    call.bound_to = Some(id.name.to_string());
                }
            }
        }
    }

    fn visit_new_expression(&mut self, it: &NewExpression<'a>) {
        let class = match it.callee.get_inner_expression() {
            Expression::Identifier(id) => Some((id.name.as_str(), id.span)),
            Expression::StaticMemberExpression(m) => Some((m.property.name.as_str(), m.span)),
            _ => None,
        };
        if let Some(("PrismaClient", callee)) = class {
            self.clients.push(ClientConstruction {
                span: ByteSpan {
                    start: it.span.start,
                    end: callee.end,
                },
                in_function: !self.function_spans.is_empty(),
                in_singleton_helper: self.singleton_helpers > 0,
            });
        }
        walk::walk_new_expression(self, it);
    }

    fn visit_identifier_reference(&mut self, it: &IdentifierReference<'a>) {
        if it.name == "globalThis" || it.name == "global" {
            self.reads_global = true;
        }
    }

    fn visit_await_expression(&mut self, it: &AwaitExpression<'a>) {
        let before = self.calls.len();
        walk::walk_await_expression(self, it);
        let Some(&open) = self.open_transactions.last() else {
            return;
        };
        if self.calls.len() != before {
            return;
        }
        if let Expression::CallExpression(c) = it.argument.get_inner_expression() {
            let callee = c.callee.span();
            let text = self
                .text
                .get(callee.start as usize..callee.end as usize)
                .unwrap_or("");
            let callee: String = text.split_whitespace().collect::<Vec<_>>().join("");
            let callee: String = callee.chars().take(120).collect();
            self.transactions[open].awaits.push(AwaitedCall {
                span: byte_span(c.span),
                callee,
            });
        }
    }

    fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
        use oxc_syntax::operator::BinaryOperator as B;
        if matches!(
            it.operator,
            B::Addition | B::Subtraction | B::Multiplication | B::Division
        ) {
            self.conversion(&it.left);
            self.conversion(&it.right);
        }
        walk::walk_binary_expression(self, it);
    }

    fn visit_assignment_expression(&mut self, it: &AssignmentExpression<'a>) {
        use oxc_syntax::operator::AssignmentOperator as A;
        if matches!(
            it.operator,
            A::Addition | A::Subtraction | A::Multiplication | A::Division
        ) {
            self.conversion(&it.right);
        }
        walk::walk_assignment_expression(self, it);
    }

    fn visit_for_of_statement(&mut self, it: &ForOfStatement<'a>) {
        let kind = if it.r#await {
            LoopKind::ForAwait
        } else {
            LoopKind::ForOf
        };
        let vars = match &it.left {
            ForStatementLeft::VariableDeclaration(d) => declared_names(d),
            _ => Vec::new(),
        };
        self.in_loop(kind, it.span, vars, |f| walk::walk_for_of_statement(f, it));
    }

    fn visit_for_in_statement(&mut self, it: &ForInStatement<'a>) {
        let vars = match &it.left {
            ForStatementLeft::VariableDeclaration(d) => declared_names(d),
            _ => Vec::new(),
        };
        self.in_loop(LoopKind::ForIn, it.span, vars, |f| {
            walk::walk_for_in_statement(f, it)
        });
    }

    fn visit_for_statement(&mut self, it: &ForStatement<'a>) {
        let vars = match &it.init {
            Some(ForStatementInit::VariableDeclaration(d)) => declared_names(d),
            _ => Vec::new(),
        };
        self.in_loop(LoopKind::For, it.span, vars, |f| {
            walk::walk_for_statement(f, it)
        });
    }

    fn visit_while_statement(&mut self, it: &WhileStatement<'a>) {
        self.in_loop(LoopKind::For, it.span, Vec::new(), |f| {
            walk::walk_while_statement(f, it)
        });
    }

    fn visit_call_expression(&mut self, it: &CallExpression<'a>) {
        let helper = match it.callee.get_inner_expression() {
            Expression::Identifier(id) => Some(id.name.as_str()),
            Expression::StaticMemberExpression(m) => Some(m.property.name.as_str()),
            _ => None,
        }
        .is_some_and(|n| n.to_ascii_lowercase().contains("singleton"));
        if helper {
            self.singleton_helpers += 1;
            self.call_expression(it);
            self.singleton_helpers -= 1;
        } else {
            self.call_expression(it);
        }
    }

    fn visit_tagged_template_expression(&mut self, it: &TaggedTemplateExpression<'a>) {
        if prisma_helper(&it.tag) == Some(SqlHelper::Sql) {
            self.fragments.push(SqlFragment {
                span: byte_span(it.span),
                helper: SqlHelper::Sql,
                text: Some(template_text(&it.quasi)),
                parameters: it.quasi.expressions.len(),
                built_at_runtime: false,
                dynamic: false,
                inputs: Vec::new(),
            });
        }
        if let Some(member) = it.tag.get_inner_expression().as_member_expression()
            && let Some(op) = member.static_property_name().and_then(Operation::of_client)
            && let Some((receiver, via)) = self.receiver(member.object(), false)
        {
            self.calls.push(QueryCall {
                span: byte_span(it.span),
                receiver,
                via,
                accessor: None,
                model: None,
                operation: op,
                args: None,
                raw: Some(RawSql {
                    text: Some(template_text(&it.quasi)),
                    parameters: it.quasi.expressions.len(),
                    built_at_runtime: false,
                    inputs: Vec::new(),
                    tagged_form: None,
                }),
                in_loop: None,
                function: self.function_spans.last().copied(),
                bound_to: None,
            });
        }
        walk::walk_tagged_template_expression(self, it);
    }
}

impl<'a> Finder<'_> {
    /// Walk a loop statement with the loop recorded around it (`vars`: the names it declares).
    fn in_loop(
        &mut self,
        kind: LoopKind,
        span: oxc_span::Span,
        vars: Vec<String>,
        walk: impl FnOnce(&mut Self),
    ) {
        self.loops
            .push((kind, byte_span(span), vars, self.functions.len()));
        walk(self);
        self.loops.pop();
    }

    fn call_expression(&mut self, it: &CallExpression<'a>) {
        self.call(it);
        // `prisma.$transaction(async (tx) => ...)`: an interactive transaction.
        if let Some(member) = it.callee.get_inner_expression().as_member_expression()
            && member.static_property_name() == Some("$transaction")
            && matches!(
                it.arguments
                    .first()
                    .and_then(Argument::as_expression)
                    .map(Expression::get_inner_expression),
                Some(Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_))
            )
            && self.receiver(member.object(), false).is_some()
        {
            self.transactions.push(Transaction {
                span: byte_span(it.span),
                awaits: Vec::new(),
            });
            self.open_transactions.push(self.transactions.len() - 1);
            walk::walk_call_expression(self, it);
            self.open_transactions.pop();
            return;
        }
        // `xs.map(async (x) => ...)`: the callback is the loop body.
        let kind = it
            .callee
            .get_inner_expression()
            .as_member_expression()
            .and_then(|m| match m.static_property_name()? {
                "map" | "flatMap" => Some(LoopKind::Map),
                "forEach" => Some(LoopKind::ForEach),
                _ => None,
            });
        let callback = it
            .arguments
            .first()
            .and_then(Argument::as_expression)
            .map(Expression::get_inner_expression);
        let params = match callback {
            Some(Expression::ArrowFunctionExpression(f)) => Some(&f.params),
            Some(Expression::FunctionExpression(f)) => Some(&f.params),
            _ => None,
        };
        if let (Some(kind), Some(params)) = (kind, params) {
            let mut vars = Vec::new();
            for p in &params.items {
                bound_names(&p.pattern, &mut vars);
            }
            // The callback is entered right after: its function level is one deeper.
            self.loops
                .push((kind, byte_span(it.span), vars, self.functions.len() + 1));
            walk::walk_call_expression(self, it);
            self.loops.pop();
        } else {
            walk::walk_call_expression(self, it);
        }
    }
}

impl Finder<'_> {
    /// Record `e` when it converts a property to a number (an operand of arithmetic).
    fn conversion(&mut self, e: &Expression<'_>) {
        if let Some((property, object, how)) = conversion_of(e) {
            let s = object.span();
            self.conversions.push(NumberConversion {
                span: byte_span(e.span()),
                property,
                expression: self
                    .text
                    .get(s.start as usize..s.end as usize)
                    .unwrap_or("")
                    .to_string(),
                how,
            });
        }
    }

    fn call(&mut self, it: &CallExpression<'_>) {
        self.bindings.consts.at.set(it.span.start);
        if let Some(helper) = prisma_helper(&it.callee) {
            let mut f = fragment(it, helper, &self.bindings.literals);
            if f.built_at_runtime {
                f.inputs = self.inputs_of_first_argument(it);
            }
            self.fragments.push(f);
            return;
        }
        let Some(member) = it.callee.get_inner_expression().as_member_expression() else {
            return;
        };
        let Some(name) = member.static_property_name() else {
            return;
        };
        if let Some(op) = Operation::of_client(name) {
            let Some((receiver, via)) = self.receiver(member.object(), false) else {
                return;
            };
            self.calls.push(QueryCall {
                span: byte_span(it.span),
                receiver,
                via,
                accessor: None,
                model: None,
                operation: op,
                args: None,
                in_loop: None,
                function: self.function_spans.last().copied(),
                bound_to: None,
                raw: Some({
                    let mut raw = raw_call(it, &self.bindings.literals);
                    if raw.built_at_runtime {
                        raw.inputs = self.inputs_of_first_argument(it);
                        raw.tagged_form = tagged_form(it, self.text);
                    }
                    raw
                }),
            });
            return;
        }
        let Some(op) = Operation::of_model(name) else {
            return;
        };
        let Some(model_member) = member
            .object()
            .get_inner_expression()
            .as_member_expression()
        else {
            return;
        };
        let Some(accessor) = model_member.static_property_name() else {
            return;
        };
        let model = self.models.model_of(accessor).map(str::to_string);
        if model.is_none() && !self.models.is_empty() {
            return;
        }
        let Some((receiver, via)) = self.receiver(model_member.object(), model.is_some()) else {
            return;
        };
        let args = match it.arguments.first() {
            None => QueryArgs::default(),
            Some(arg) => match arg.as_expression().map(Expression::get_inner_expression) {
                Some(Expression::ObjectExpression(o)) => args_of(o, &self.bindings.consts),
                Some(Expression::Identifier(id))
                    if let Some((_, args, _)) = self.bindings.consts.object(&id.name) =>
                {
                    args.clone()
                }
                _ => QueryArgs {
                    dynamic: true,
                    ..QueryArgs::default()
                },
            },
        };
        let in_loop = self.loop_of(it);
        self.calls.push(QueryCall {
            span: byte_span(it.span),
            receiver,
            via,
            accessor: Some(accessor.to_string()),
            model,
            operation: op,
            args: Some(args),
            raw: None,
            in_loop,
            function: self.function_spans.last().copied(),
            bound_to: None,
        });
    }

    /// The innermost loop of the same function around `it`, and whether its arguments read
    /// the loop's variables.
    fn loop_of(&self, it: &CallExpression<'_>) -> Option<LoopContext> {
        let (kind, span, vars, level) = self.loops.last()?;
        if *level != self.functions.len() {
            return None;
        }
        let mut reads = Reads::default();
        for arg in &it.arguments {
            if let Some(e) = arg.as_expression() {
                reads.visit_expression(e);
            }
        }
        Some(LoopContext {
            kind: *kind,
            span: *span,
            uses_loop_variable: reads.names.iter().any(|n| vars.contains(n)),
        })
    }

    /// Where the value of the name `n` comes from, if from input (innermost function first).
    fn origin_of(&self, n: &str) -> Option<Origin> {
        self.functions
            .iter()
            .rev()
            .find_map(|(_, names)| names.iter().find(|(m, _)| m == n).map(|(_, o)| o.clone()))
    }

    /// The values of a call's first argument (a template or a concatenation) that come from
    /// input.
    fn inputs_of_first_argument(&self, it: &CallExpression<'_>) -> Vec<Input> {
        let mut out = Vec::new();
        if let Some(e) = it.arguments.first().and_then(Argument::as_expression) {
            self.collect_inputs(e, &mut out);
        }
        out
    }

    fn collect_inputs(&self, e: &Expression<'_>, out: &mut Vec<Input>) {
        let e = e.get_inner_expression();
        match e {
            Expression::TemplateLiteral(t) => {
                for x in &t.expressions {
                    self.collect_inputs(x, out);
                }
                return;
            }
            Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
                self.collect_inputs(&b.left, out);
                self.collect_inputs(&b.right, out);
                return;
            }
            _ => {}
        }
        let origin = match e {
            Expression::Identifier(id) => self.origin_of(&id.name),
            _ if request_data(e) => Some(Origin::Request),
            _ => None,
        };
        if let Some(origin) = origin {
            let span = e.span();
            out.push(Input {
                text: self
                    .text
                    .get(span.start as usize..span.end as usize)
                    .unwrap_or("")
                    .to_string(),
                span: byte_span(span),
                origin,
            });
        }
    }

    /// The receiver's text and why it is a client; `None` when nothing says it is one.
    /// `by_accessor`: the call names a schema model's accessor, enough on its own.
    fn receiver(&self, e: &Expression<'_>, by_accessor: bool) -> Option<(String, Receiver)> {
        let e = e.get_inner_expression();
        let span = e.span();
        let text = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string();
        let via = match e {
            Expression::Identifier(id) => {
                let name = id.name.as_str();
                if self.bindings.clients.contains(name) {
                    Some(Receiver::Client)
                } else if self.bindings.transactions.contains(name) {
                    Some(Receiver::Transaction)
                } else if self.bindings.imported.contains(name)
                    && (by_accessor || prisma_like(name))
                {
                    Some(Receiver::Imported)
                } else {
                    None
                }
            }
            _ => None,
        };
        match via {
            Some(via) => Some((text, via)),
            None if by_accessor => Some((text, Receiver::Accessor)),
            None => None,
        }
    }
}

/// `Prisma.sql` / `Prisma.raw` / `Prisma.join` (the `Prisma` namespace of `@prisma/client`).
fn prisma_helper(e: &Expression<'_>) -> Option<SqlHelper> {
    let member = e.get_inner_expression().as_member_expression()?;
    let Expression::Identifier(ns) = member.object().get_inner_expression() else {
        return None;
    };
    if ns.name != "Prisma" {
        return None;
    }
    match member.static_property_name()? {
        "sql" => Some(SqlHelper::Sql),
        "raw" => Some(SqlHelper::Raw),
        "join" => Some(SqlHelper::Join),
        _ => None,
    }
}

/// A `Prisma.raw(...)`, `Prisma.join(...)` or `Prisma.sql(...)` call.
fn fragment(it: &CallExpression<'_>, helper: SqlHelper, literals: &HashSet<String>) -> SqlFragment {
    let first = it
        .arguments
        .first()
        .and_then(Argument::as_expression)
        .map(Expression::get_inner_expression);
    let mut f = SqlFragment {
        span: byte_span(it.span),
        helper,
        text: None,
        parameters: 0,
        built_at_runtime: false,
        dynamic: false,
        inputs: Vec::new(),
    };
    if helper == SqlHelper::Join {
        f.parameters = match first {
            Some(Expression::ArrayExpression(a)) => a.elements.len(),
            _ => 0,
        };
        return f;
    }
    match first {
        Some(Expression::StringLiteral(s)) => f.text = Some(s.value.to_string()),
        Some(Expression::TemplateLiteral(t)) => {
            f.text = Some(template_text(t));
            f.built_at_runtime = !t.expressions.iter().all(|e| is_constant(e, literals));
        }
        Some(Expression::BinaryExpression(b)) if b.operator == BinaryOperator::Addition => {
            f.built_at_runtime =
                !is_constant(&b.left, literals) || !is_constant(&b.right, literals);
        }
        _ => f.dynamic = true,
    }
    f
}

/// Request data: a member chain through `body`, `query`, `params`, `searchParams`, `headers`
/// or `cookies` of a request-like object, or `.get(...)` on form data or search parameters.
fn request_data(e: &Expression<'_>) -> bool {
    const PARTS: [&str; 6] = [
        "body",
        "query",
        "params",
        "searchParams",
        "headers",
        "cookies",
    ];
    let mut cur = e.get_inner_expression();
    loop {
        match cur {
            Expression::CallExpression(c) => {
                let Some(m) = c.callee.get_inner_expression().as_member_expression() else {
                    return false;
                };
                if m.static_property_name() == Some("get") {
                    match m.object().get_inner_expression() {
                        Expression::Identifier(id) => {
                            let n = id.name.as_str();
                            return n.to_ascii_lowercase().contains("formdata")
                                || n == "searchParams";
                        }
                        // `new URL(req.url).searchParams.get("q")`, `request.nextUrl.searchParams.get(...)`
                        o => {
                            if o.as_member_expression()
                                .is_some_and(|p| p.static_property_name() == Some("searchParams"))
                            {
                                return true;
                            }
                        }
                    }
                }
                cur = m.object().get_inner_expression();
            }
            _ => match cur.as_member_expression() {
                Some(m) => {
                    if m.static_property_name().is_some_and(|p| PARTS.contains(&p))
                        && matches!(m.object().get_inner_expression(), Expression::Identifier(id)
                            if matches!(id.name.as_str(), "req" | "request" | "ctx" | "c" | "event" | "context"))
                    {
                        return true;
                    }
                    cur = m.object().get_inner_expression();
                }
                None => return false,
            },
        }
    }
}

/// Names that hold a Prisma Client by convention, accepted for raw queries on an imported
/// binding (raw calls name no model to confirm it).
fn prisma_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("prisma") || lower == "db" || lower == "client"
}

/// The SQL of a template literal, `${…}` shown as `$1`, `$2`, ...
fn template_text(t: &TemplateLiteral<'_>) -> String {
    let mut out = String::new();
    for (i, q) in t.quasis.iter().enumerate() {
        out.push_str(q.value.raw.as_str());
        if i < t.expressions.len() {
            out.push_str(&format!("${}", i + 1));
        }
    }
    out
}

/// `$queryRaw(...)` / `$queryRawUnsafe(sql, ...values)` called as a function.
/// SQL keywords after which a value stands for an identifier or a list, never a parameter.
const IDENTIFIER_POSITIONS: [&str; 9] = [
    "order by", "group by", "from", "join", "into", "update", "table", "in (", "in(",
];

/// `$queryRawUnsafe(`...`, a, b)` as a tagged template (see [`TaggedForm`]), when it can be.
fn tagged_form(it: &CallExpression<'_>, text: &str) -> Option<TaggedForm> {
    let member = it.callee.get_inner_expression().as_member_expression()?;
    let tagged = match member.static_property_name()? {
        "$queryRawUnsafe" => "$queryRaw",
        "$executeRawUnsafe" => "$executeRaw",
        _ => return None,
    };
    let Expression::TemplateLiteral(t) = it
        .arguments
        .first()?
        .as_expression()?
        .get_inner_expression()
    else {
        return None;
    };
    let src = |s: oxc_span::Span| text.get(s.start as usize..s.end as usize);
    let args: Vec<&str> = it.arguments[1..]
        .iter()
        .map(|a| a.as_expression().and_then(|e| src(e.span())))
        .collect::<Option<_>>()?;
    let mut out = String::new();
    // The SQL string literal being read (`'...'`): its SQL text, its value as a JavaScript
    // template body, and whether it holds an interpolation.
    let mut literal: Option<(String, String, usize)> = None;
    // The last value interpolated into `literal`.
    let mut last_value = "";
    // The SQL text so far outside string literals, lower-cased (to see what precedes a value).
    let mut sql = String::new();
    for (i, quasi) in t.quasis.iter().enumerate() {
        let raw = quasi.value.raw.as_str();
        let mut chars = raw.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match (&mut literal, c) {
                (Some((text, value, values)), '\'') => {
                    if chars.peek().map(|(_, n)| *n) == Some('\'') {
                        // `''` in SQL is one quote in the value.
                        chars.next();
                        text.push_str("''");
                        value.push('\'');
                    } else {
                        if *values == 1 && *text == format!("${{{last_value}}}") {
                            // `'${x}'`: the value alone.
                            out.push_str(value);
                        } else if *values > 0 {
                            out.push_str(&format!("${{`{value}`}}"));
                        } else {
                            out.push_str(&format!("'{text}'"));
                        }
                        literal = None;
                    }
                }
                (Some((text, value, _)), c) => {
                    text.push(c);
                    value.push(c);
                }
                (None, '\'') => literal = Some((String::new(), String::new(), 0)),
                (None, '$') => {
                    let digits: String = raw[at + 1..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    if digits.is_empty() {
                        out.push('$');
                        sql.push('$');
                        continue;
                    }
                    let n: usize = digits.parse().ok()?;
                    let arg = args.get(n.checked_sub(1)?)?;
                    for _ in 0..digits.len() {
                        chars.next();
                    }
                    out.push_str(&format!("${{{arg}}}"));
                    sql.push('?');
                }
                (None, c) => {
                    out.push(c);
                    sql.push(c.to_ascii_lowercase());
                }
            }
        }
        let Some(e) = t.expressions.get(i) else { break };
        let value = src(e.span())?;
        match &mut literal {
            Some((text, body, values)) => {
                text.push_str(&format!("${{{value}}}"));
                body.push_str(&format!("${{{value}}}"));
                *values += 1;
                last_value = value;
            }
            None => {
                let before = sql.trim_end();
                if before.ends_with('"')
                    || before.ends_with('.')
                    || IDENTIFIER_POSITIONS.iter().any(|k| before.ends_with(k))
                {
                    return None;
                }
                out.push_str(&format!("${{{value}}}"));
                sql.push('?');
            }
        }
    }
    if literal.is_some() {
        return None;
    }
    let start = member.static_property_info()?.0.start;
    Some(TaggedForm {
        span: ByteSpan {
            start,
            end: it.span.end,
        },
        text: format!("{tagged}`{out}`"),
    })
}

fn raw_call(it: &CallExpression<'_>, literals: &HashSet<String>) -> RawSql {
    let parameters = it.arguments.len().saturating_sub(1);
    let first = it
        .arguments
        .first()
        .and_then(Argument::as_expression)
        .map(Expression::get_inner_expression);
    match first {
        Some(Expression::StringLiteral(s)) => RawSql {
            text: Some(s.value.to_string()),
            parameters,
            built_at_runtime: false,
            inputs: Vec::new(),
            tagged_form: None,
        },
        Some(Expression::TemplateLiteral(t)) => RawSql {
            text: Some(template_text(t)),
            parameters,
            built_at_runtime: !t.expressions.iter().all(|e| is_constant(e, literals)),
            inputs: Vec::new(),
            tagged_form: None,
        },
        Some(Expression::BinaryExpression(b)) if b.operator == BinaryOperator::Addition => RawSql {
            text: None,
            parameters,
            built_at_runtime: !is_constant(&b.left, literals) || !is_constant(&b.right, literals),
            inputs: Vec::new(),
            tagged_form: None,
        },
        _ => RawSql {
            text: None,
            parameters,
            built_at_runtime: false,
            inputs: Vec::new(),
            tagged_form: None,
        },
    }
}

/// A value built only from literals and names bound with `const` to literals.
fn is_constant(e: &Expression<'_>, literals: &HashSet<String>) -> bool {
    match e.get_inner_expression() {
        Expression::StringLiteral(_) | Expression::NumericLiteral(_) => true,
        Expression::TemplateLiteral(t) => t.expressions.iter().all(|x| is_constant(x, literals)),
        Expression::Identifier(id) => literals.contains(id.name.as_str()),
        Expression::BinaryExpression(b) if b.operator == BinaryOperator::Addition => {
            is_constant(&b.left, literals) && is_constant(&b.right, literals)
        }
        _ => false,
    }
}

/// The static name of an object property's key.
fn key_name<'a>(p: &'a ObjectProperty<'_>) -> Option<std::borrow::Cow<'a, str>> {
    if p.computed {
        return None;
    }
    p.key.static_name()
}

fn args_of(o: &ObjectExpression<'_>, cx: &Consts) -> QueryArgs {
    let mut args = QueryArgs::default();
    for prop in &o.properties {
        let ObjectPropertyKind::ObjectProperty(p) = prop else {
            args.dynamic = true;
            continue;
        };
        let Some(key) = key_name(p) else {
            args.dynamic = true;
            continue;
        };
        let v = &p.value;
        match key.as_ref() {
            "where" => args.filter = Some(filter_of(v, cx)),
            "orderBy" => args.order_by = Some(order_of(v)),
            "take" => args.take = Some(value_of(v)),
            "skip" => args.skip = Some(value_of(v)),
            "cursor" => args.cursor = Some(keys_of(v)),
            "distinct" | "by" => {
                let fields = names_of(v);
                if key == "by" {
                    args.by = Some(fields);
                } else {
                    args.distinct = Some(fields);
                }
            }
            "select" => args.select = Some(selection_of(v, cx)),
            "include" => args.include = Some(selection_of(v, cx)),
            other => {
                if other == "data" {
                    args.data_reads = data_reads(v);
                }
                args.other.push(other.to_string())
            }
        }
    }
    args
}

/// The fields of a `data` object literal computed by arithmetic from properties of variables.
fn data_reads(e: &Expression<'_>) -> Vec<DataRead> {
    let Expression::ObjectExpression(o) = e.get_inner_expression() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for prop in &o.properties {
        let ObjectPropertyKind::ObjectProperty(p) = prop else {
            continue;
        };
        let Some(field) = key_name(p) else { continue };
        // `{ decrement: n }`, `{ connect: ... }`: an atomic operation or a relation write.
        if matches!(
            p.value.get_inner_expression(),
            Expression::ObjectExpression(_)
        ) {
            continue;
        }
        let mut paths = Paths::default();
        paths.visit_expression(&p.value);
        if paths.arithmetic && !paths.reads.is_empty() {
            out.push(DataRead {
                field: field.to_string(),
                span: byte_span(p.value.span()),
                reads: paths.reads,
            });
        }
    }
    out
}

/// `variable.property` reads of an expression, and whether it does arithmetic.
#[derive(Default)]
struct Paths {
    reads: Vec<String>,
    arithmetic: bool,
}

impl<'a> Visit<'a> for Paths {
    fn visit_static_member_expression(&mut self, it: &StaticMemberExpression<'a>) {
        // `Math.ceil`, `Prisma.Decimal`: a namespace, not a value.
        if let Expression::Identifier(id) = it.object.get_inner_expression()
            && !id.name.starts_with(|c: char| c.is_ascii_uppercase())
        {
            self.reads.push(format!("{}.{}", id.name, it.property.name));
        }
        walk::walk_static_member_expression(self, it);
    }

    fn visit_binary_expression(&mut self, it: &BinaryExpression<'a>) {
        use oxc_syntax::operator::BinaryOperator as B;
        if matches!(
            it.operator,
            B::Addition | B::Subtraction | B::Multiplication | B::Division
        ) {
            self.arithmetic = true;
        }
        walk::walk_binary_expression(self, it);
    }
}

/// The property a conversion to a number reads, the expression converted, and how:
/// `a.b.toNumber()`, `Number(a.b)`, `parseFloat(a.b)`, `+a.b` (`?? 0` and optional chains
/// allowed).
fn conversion_of<'e, 'a>(
    e: &'e Expression<'a>,
) -> Option<(String, &'e Expression<'a>, Conversion)> {
    fn property<'e, 'a>(e: &'e Expression<'a>) -> Option<(String, &'e Expression<'a>)> {
        let e = e.get_inner_expression();
        let e = match e {
            Expression::LogicalExpression(l) => l.left.get_inner_expression(),
            other => other,
        };
        match e {
            Expression::StaticMemberExpression(m) => Some((m.property.name.to_string(), e)),
            Expression::ChainExpression(c) => match &c.expression {
                ChainElement::StaticMemberExpression(m) => Some((m.property.name.to_string(), e)),
                _ => None,
            },
            _ => None,
        }
    }
    let e = e.get_inner_expression();
    let e = match e {
        Expression::LogicalExpression(l) => l.left.get_inner_expression(),
        other => other,
    };
    let call = match e {
        Expression::CallExpression(c) => Some(&**c),
        Expression::ChainExpression(c) => match &c.expression {
            ChainElement::CallExpression(c) => Some(&**c),
            _ => None,
        },
        Expression::UnaryExpression(u)
            if u.operator == oxc_syntax::operator::UnaryOperator::UnaryPlus =>
        {
            return property(&u.argument).map(|(p, x)| (p, x, Conversion::UnaryPlus));
        }
        _ => None,
    }?;
    match call.callee.get_inner_expression() {
        Expression::Identifier(id) if id.name == "Number" || id.name == "parseFloat" => {
            let how = if id.name == "Number" {
                Conversion::Number
            } else {
                Conversion::ParseFloat
            };
            let arg = call.arguments.first()?.as_expression()?;
            property(arg).map(|(p, x)| (p, x, how))
        }
        Expression::StaticMemberExpression(m) if m.property.name == "toNumber" => {
            property(&m.object).map(|(p, x)| (p, x, Conversion::ToNumber))
        }
        _ => None,
    }
}

fn value_of(e: &Expression<'_>) -> Value {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => Value::Literal {
            text: format!("{:?}", s.value.as_str()),
        },
        Expression::NumericLiteral(n) => Value::Literal {
            text: n.raw.map_or_else(|| n.value.to_string(), |r| r.to_string()),
        },
        Expression::BooleanLiteral(b) => Value::Literal {
            text: b.value.to_string(),
        },
        Expression::NullLiteral(_) => Value::Null,
        Expression::Identifier(id) if id.name == "undefined" => Value::Null,
        Expression::UnaryExpression(u) if matches!(u.argument, Expression::NumericLiteral(_)) => {
            match value_of(&u.argument) {
                Value::Literal { text } => Value::Literal {
                    text: format!("{}{text}", u.operator.as_str()),
                },
                other => other,
            }
        }
        Expression::ArrayExpression(a) => Value::List {
            len: a.elements.len(),
        },
        _ => Value::Dynamic,
    }
}

/// Keys of an object literal (`cursor: { id }`).
fn keys_of(e: &Expression<'_>) -> Vec<String> {
    match e.get_inner_expression() {
        Expression::ObjectExpression(o) => o
            .properties
            .iter()
            .filter_map(|p| match p {
                ObjectPropertyKind::ObjectProperty(p) => key_name(p).map(|k| k.to_string()),
                ObjectPropertyKind::SpreadProperty(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// String literals of `"a"` or `["a", "b"]` (`distinct`, `by`).
fn names_of(e: &Expression<'_>) -> Vec<String> {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => vec![s.value.to_string()],
        Expression::ArrayExpression(a) => a
            .elements
            .iter()
            .filter_map(|el| match el.as_expression()?.get_inner_expression() {
                Expression::StringLiteral(s) => Some(s.value.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

const QUANTIFIERS: [(&str, Quantifier); 5] = [
    ("some", Quantifier::Some),
    ("every", Quantifier::Every),
    ("none", Quantifier::None),
    ("is", Quantifier::Is),
    ("isNot", Quantifier::IsNot),
];

/// A filter from a `where` value.
fn filter_of(e: &Expression<'_>, cx: &Consts) -> Filter {
    let mut parts = match e.get_inner_expression() {
        Expression::ObjectExpression(o) => object_filter(o, cx),
        Expression::Identifier(id) => match cx.object(&id.name) {
            Some((filter, _, false)) => return filter.clone(),
            Some((filter, _, true)) => vec![filter.clone(), Filter::Dynamic],
            None => return Filter::Dynamic,
        },
        _ => return Filter::Dynamic,
    };
    if parts.len() == 1 {
        parts.pop().unwrap_or(Filter::Dynamic)
    } else {
        Filter::And { parts }
    }
}

/// The conditions of a `where` object literal, one per key.
fn object_filter(o: &ObjectExpression<'_>, cx: &Consts) -> Vec<Filter> {
    let mut parts = Vec::new();
    for prop in &o.properties {
        let p = match prop {
            ObjectPropertyKind::ObjectProperty(p) => p,
            ObjectPropertyKind::SpreadProperty(s) => {
                match spread_filter(&s.argument, cx) {
                    Filter::And { parts: inner } => parts.extend(inner),
                    other => parts.push(other),
                }
                continue;
            }
        };
        let Some(key) = key_name(p) else {
            parts.push(Filter::Dynamic);
            continue;
        };
        match key.as_ref() {
            "AND" => parts.push(Filter::And {
                parts: list_of_filters(&p.value, cx),
            }),
            "OR" => parts.push(Filter::Or {
                parts: list_of_filters(&p.value, cx),
            }),
            "NOT" => parts.push(Filter::Not {
                parts: list_of_filters(&p.value, cx),
            }),
            field => parts.extend(field_filter(field, &p.value, cx)),
        }
    }
    parts
}

/// `...x` in a `where` object: `...(cond && { a })` and `...(cond ? { a } : { b })` add
/// conditions only sometimes; `...scope` adds the literal `scope` is bound to.
fn spread_filter(e: &Expression<'_>, cx: &Consts) -> Filter {
    match e.get_inner_expression() {
        Expression::LogicalExpression(l) if l.operator == LogicalOperator::And => Filter::Maybe {
            filter: Box::new(filter_of(&l.right, cx)),
        },
        Expression::ConditionalExpression(c) => Filter::Maybe {
            filter: Box::new(Filter::Or {
                parts: vec![filter_of(&c.consequent, cx), filter_of(&c.alternate, cx)],
            }),
        },
        other => filter_of(other, cx),
    }
}

fn list_of_filters(e: &Expression<'_>, cx: &Consts) -> Vec<Filter> {
    match e.get_inner_expression() {
        Expression::ArrayExpression(a) => a
            .elements
            .iter()
            .map(|el| {
                el.as_expression()
                    .map_or(Filter::Dynamic, |x| filter_of(x, cx))
            })
            .collect(),
        other => vec![filter_of(other, cx)],
    }
}

/// The conditions `field: value` puts on a field or relation.
fn field_filter(field: &str, value: &Expression<'_>, cx: &Consts) -> Vec<Filter> {
    // `field: cond ? { contains: q } : undefined`, `field: q && { ... }`: only sometimes.
    match value.get_inner_expression() {
        Expression::ConditionalExpression(c) => {
            let mut parts = field_filter(field, &c.consequent, cx);
            parts.extend(field_filter(field, &c.alternate, cx));
            return vec![Filter::Maybe {
                filter: Box::new(Filter::Or { parts }),
            }];
        }
        Expression::LogicalExpression(l) if l.operator == LogicalOperator::And => {
            let parts = field_filter(field, &l.right, cx);
            return vec![Filter::Maybe {
                filter: Box::new(Filter::And { parts }),
            }];
        }
        _ => {}
    }
    let Expression::ObjectExpression(o) = value.get_inner_expression() else {
        return vec![Filter::Field {
            field: field.to_string(),
            op: FilterOp::Equals,
            value: value_of(value),
            insensitive: false,
        }];
    };
    let props: Vec<(Option<std::borrow::Cow<'_, str>>, &Expression<'_>)> = o
        .properties
        .iter()
        .filter_map(|p| match p {
            ObjectPropertyKind::ObjectProperty(p) => Some((key_name(p), &p.value)),
            ObjectPropertyKind::SpreadProperty(_) => None,
        })
        .collect();
    let spread = props.len() < o.properties.len();
    let is_quantified = props.iter().any(|(k, _)| {
        k.as_deref()
            .is_some_and(|k| QUANTIFIERS.iter().any(|(q, _)| *q == k))
    });
    if is_quantified {
        return props
            .iter()
            .filter_map(|(k, v)| {
                let q = QUANTIFIERS
                    .iter()
                    .find(|(q, _)| Some(*q) == k.as_deref())?
                    .1;
                Some(Filter::Relation {
                    field: field.to_string(),
                    quantifier: q,
                    filter: Box::new(filter_of(v, cx)),
                })
            })
            .collect();
    }
    let scalar = !props.is_empty()
        && props.iter().all(|(k, _)| {
            k.as_deref()
                .is_some_and(|k| k == "mode" || FilterOp::of(k).is_some())
        });
    if scalar {
        let insensitive = props.iter().any(|(k, v)| {
            k.as_deref() == Some("mode")
                && matches!(v.get_inner_expression(), Expression::StringLiteral(s) if s.value == "insensitive")
        });
        let mut out: Vec<Filter> = props
            .iter()
            .filter_map(|(k, v)| {
                let op = FilterOp::of(k.as_deref()?)?;
                Some(Filter::Field {
                    field: field.to_string(),
                    op,
                    value: value_of(v),
                    insensitive,
                })
            })
            .collect();
        if spread {
            out.push(Filter::Dynamic);
        }
        return out;
    }
    if props.is_empty() && !spread {
        return Vec::new();
    }
    vec![Filter::Relation {
        field: field.to_string(),
        quantifier: Quantifier::Direct,
        filter: Box::new(filter_of(value, cx)),
    }]
}

fn order_of(e: &Expression<'_>) -> OrderBy {
    let mut keys = Vec::new();
    let objects: Vec<&Expression<'_>> = match e.get_inner_expression() {
        Expression::ArrayExpression(a) => {
            let mut v = Vec::new();
            for el in &a.elements {
                match el.as_expression() {
                    Some(x) => v.push(x),
                    None => return OrderBy::Dynamic,
                }
            }
            v
        }
        other => vec![other],
    };
    for o in objects {
        let Expression::ObjectExpression(o) = o.get_inner_expression() else {
            return OrderBy::Dynamic;
        };
        for prop in &o.properties {
            let ObjectPropertyKind::ObjectProperty(p) = prop else {
                return OrderBy::Dynamic;
            };
            let Some(key) = key_name(p) else {
                return OrderBy::Dynamic;
            };
            let mut path = vec![key.to_string()];
            let direction = order_leaf(&p.value, &mut path);
            keys.push(OrderKey { path, direction });
        }
    }
    OrderBy::Keys { keys }
}

/// The direction of one sort key, following nested relation keys into `path`.
fn order_leaf(e: &Expression<'_>, path: &mut Vec<String>) -> Option<Direction> {
    match e.get_inner_expression() {
        Expression::StringLiteral(s) => match s.value.as_str() {
            "asc" => Some(Direction::Asc),
            "desc" => Some(Direction::Desc),
            _ => None,
        },
        Expression::ObjectExpression(o) => {
            // `{ sort: "desc", nulls: "last" }` or a relation's key `{ name: "asc" }`.
            let mut sort = None;
            for prop in &o.properties {
                let ObjectPropertyKind::ObjectProperty(p) = prop else {
                    continue;
                };
                match key_name(p).as_deref() {
                    Some("sort") => sort = Some(order_leaf(&p.value, &mut Vec::new())),
                    Some("nulls") => {}
                    Some(k) if sort.is_none() => {
                        path.push(k.to_string());
                        return order_leaf(&p.value, path);
                    }
                    _ => {}
                }
            }
            sort.flatten()
        }
        _ => None,
    }
}

fn selection_of(e: &Expression<'_>, cx: &Consts) -> Selection {
    let Expression::ObjectExpression(o) = e.get_inner_expression() else {
        return Selection {
            dynamic: true,
            items: Vec::new(),
        };
    };
    let mut sel = Selection {
        dynamic: false,
        items: Vec::new(),
    };
    for prop in &o.properties {
        let ObjectPropertyKind::ObjectProperty(p) = prop else {
            sel.dynamic = true;
            continue;
        };
        let Some(key) = key_name(p) else {
            sel.dynamic = true;
            continue;
        };
        match p.value.get_inner_expression() {
            Expression::BooleanLiteral(b) if !b.value => {}
            Expression::ObjectExpression(o) => sel.items.push(SelectItem {
                field: key.to_string(),
                span: byte_span(p.span),
                args: Some(Box::new(args_of(o, cx))),
            }),
            _ => sel.items.push(SelectItem {
                field: key.to_string(),
                span: byte_span(p.span),
                args: None,
            }),
        }
    }
    sel
}
