//! Rules the engine itself reports (they have no check of their own but appear in the rule
//! list, the docs and SARIF like any other).

use crate::declare_rule;
use crate::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `prisma-audit-ignore` comments that silenced no finding.
    ///
    /// ## Why is this bad?
    /// A stale suppression (the problem was fixed, or the rule id is misspelt) silently hides
    /// the next real problem at that place.
    ///
    /// ## Example
    /// ```prisma
    /// // prisma-audit-ignore missing-fk-index -- fixed long ago
    /// model Pet { ... }
    /// ```
    ///
    /// ## Fix
    /// Delete the comment or correct the rule id.
    pub struct UnusedSuppression;
    id = "unused-suppression",
    summary = "A suppression comment silences nothing",
    category = ScalabilityAndOperations,
    severity = Info,
    fixable = false,
    enabled = true,
}

impl Rule for UnusedSuppression {
    fn check(&self, _ctx: &RuleContext<'_>, _out: &mut Vec<RawFinding>) {
        // Reported by the engine after all rules ran (it needs every rule's findings).
    }
}
