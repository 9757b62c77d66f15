import type { BugContext, GoldenExample } from '../../src/plugin-kit.js';
import { collectBugFacts, lineOf, type BugFacts } from './bug-facts.js';
import { patternJsonText } from './pattern-json.js';

/** Bump when the wording below changes: it is part of settingsKey() and of every request (hence of the cache key). */
export const PROMPT_VERSION = 'openai-prompt-5';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const FORMAT_RULES = `You compile a bug, given as a unified diff against a Python reference implementation, into a declarative
JSON bug definition in format v2.1. A teaching engine's injector applies that JSON to any student's
implementation of the same function, so the definition must describe the bug by AST patterns, not by text.

# Document shape
{
  "id": "<module>-<bug-name-with-dashes>",
  "description": "<one sentence: what the bug does>",
  "injection_type": "ast",            // always "ast"
  "engine_version": "2.1",            // always "2.1"
  "target_function": "<name of the def the bug lives in>",
  "logic": [ <pass>, ... ]            // at least one pass; passes run in array order
}
A pass:
{
  "pass": 1,                          // 1, 2, 3 ... in order
  "type": "find_and_track" | "find_and_replace",
  "description": "<what this pass does>",
  "pattern": { "node_type": "<Python ast class name>", "<ast field>": <sub-pattern or value>, ... },
  "conditions": [ ... ],              // optional, find_and_track only (ignored in find_and_replace)
  "track_as": { "<context var>": "node.<path>" },   // required for find_and_track
  "replacement": { "type": ..., "source": ..., "name": ... }   // required for find_and_replace
}
Conditions: {"check": "targets_length_equals", "value": N}, {"check": "target_is_name", "index": I},
{"check": "has_keyword_arg", "name": "K"}.
Replacement types:
- "replace_with": "source" is a path on the matched node ("node.right", "node.args[0]"); the matched node is
  replaced by the node found there. A path that leads nowhere REMOVES the node.
- "replace_value_with": "source" is a path ("node.value.left") or Python expression text ("n + 1"); the
  matched node must have a "value" field (Assign, Return, AugAssign, Expr, keyword, Attribute, Subscript…):
  a copy of it with that value is used (Assign keeps its targets). If the node has no "value" field, or the
  path leads nowhere, or the text does not parse, the node is REMOVED instead.
- "remove_keyword_arg": on a Call, drops every keyword named "name"; on any other node, the node is REMOVED.
- "delete_statement": the matched node is removed from its parent (use it on statements in a body).

# Matching (a node matches a pattern when)
- "node_type" equals the node's ast class name (Assign, AugAssign, BinOp, UnaryOp, Compare, Call, Name,
  Attribute, Subscript, Constant, Expr, Return, keyword, For, With, If, Dict, Tuple, List, ...);
- every other key is an ast field the node has (a missing field means no match), and:
  - "op": "<Name>" compares the operator class name: Add, Sub, Mult, Div, FloorDiv, Mod, Pow, MatMult, USub, Not…;
  - {"from_context": "var"}: the context variable exists and equals the field (typically a name string);
  - any other object: recursive match against the child node;
  - a string / number / boolean / null: equality (e.g. "id", "attr", "arg", Constant "value");
  - a list: the field is a list of the SAME LENGTH, and each object item matches the element at that index
    (non-object items are not compared, so use {} as a wildcard element).
- Fields not named are unconstrained: a pattern constrains only the subtree it spells out.

# How the injector runs (quirks you must design for)
1. Matching is FILE-WIDE: "target_function" only has to exist; it does NOT limit where patterns match.
   Every function and class in the file is searched, so a pattern must be specific enough to match only the
   intended node(s) and not similar code elsewhere in the file (other functions, other classes).
2. find_and_replace walks the ORIGINAL tree top-down; every node matching the pattern is replaced, and the
   children of a matched node are NOT visited (an outer match hides inner ones). If the pass replaces nothing,
   the whole injection fails. Conditions are ignored in find_and_replace passes.
3. find_and_track passes match against a CANONICAL copy of the tree: inside every def named target_function,
   positional parameters are renamed _arg0, _arg1, … and each Name target of an Assign becomes _var0, _var1, …
   in order of assignment (value visited before target); later loads use the new names. Loop targets,
   augmented assignments and attributes are NOT renamed. So a track pattern naming "id" must use the canonical
   names (_arg0, _var2), never the author's names. Matching nothing in a track pass is not an error, but
   then the context variables stay unset and any later {"from_context"} never matches.
4. For a track match, the track_as paths are evaluated on the ORIGINAL node at the same (line, column) - the
   OUTERMOST node starting there (e.g. the Expr statement around a call, or a.b(c).d around a.b(c)), not
   necessarily the node that matched; so tracked values are the author's real names. Later matches
   overwrite earlier values.
5. find_and_replace patterns see the original names (use "id": "x" directly, or {"from_context": ...}).
6. Deleting an expression held in a single field (not a list element) makes unparsing fail: the injection
   fails. delete_statement is for statements inside a body list.
7. Deleting the only statement of a body is NOT caught: the output is invalid Python and verification fails.
   Delete or replace the enclosing statement instead.
8. Paths: "node.a.b[0].c" - "node" is the matched node, each part an attribute with an optional [index].
9. The v2.1 format cannot insert a statement, rename an assignment target, or wrap a node in a new call
   unless the node has a "value" field whose new value can be written as an expression.
   Tips: several passes are fine (e.g. one pass per deleted statement); to change an argument use
   replace_value_with on the keyword, or replace_with on the enclosing node; "replace_value_with" with
   expression text builds new code ("n + 1", "torch.sigmoid(x)").

# Students' code is not the reference
The engine injects your definition into each STUDENT's own implementation: other variable and argument names,
other helper functions, other order, extra intermediate assignments, similar code in other functions. On such
code the definition must inject exactly this bug, or match nothing (the engine then tells the student it could
not inject); it must NEVER inject something else. Techniques:
- Do not name the author's local variables in patterns. Constrain structure instead: node types, operators,
  attribute and keyword names, constants, library names (torch, math, F, nn), self.
- Confine an edit to the target function and to exactly one site by pinning it: a find_and_track pass whose
  pattern contains a canonical name - {"node_type": "Name", "id": "_arg0"} for the first parameter ("self" in a
  method), _arg1, ... (argument order is stable across students; _varN numbering shifts when a student adds an
  assignment, so prefer _argN) - with "track_as": {"site_line": "node.lineno", "site_col": "node.col_offset"}
  (any attribute of the matched node can be tracked), then a find_and_replace pattern that also requires
  "lineno": {"from_context": "site_line"}, "col_offset": {"from_context": "site_col"}. The track pattern may
  describe an enclosing expression or statement that contains the canonical name; track the target with a path,
  e.g. "node.value.args[0].lineno". Use distinct context names per pinned pass. Every def named like
  target_function is canonicalized (e.g. all "forward" methods), so keep the track pattern specific.
- A pin must not slide: its track pattern must match exactly one node of the target function even with every
  _varN/_argN index ignored (structure, attribute names, constants, library names single it out; the index
  only confines it to the function). A student who adds one assignment before the site moves it from _var4
  to _var5, so where an _varN confines the site, repeat the find_and_track pass as a LADDER: the same pattern
  with every _varN shifted (_var0 … _var20, say), all with the same "track_as", farthest readings first and the
  reference's own reading LAST. A track that finds nothing keeps the context; a later one that matches
  overwrites it, so the reference's reading wins when several match. Then ONE find_and_replace pinned by
  "lineno"/"col_offset" from the context: if no rung matched, it matches nothing and the engine fails loudly.
- Names the canonical copy leaves alone (tuple and loop targets, a variable whose assignment an earlier pass
  deleted) are the student's own: never require the author's spelling. Record the student's name with a
  track ("track_as": {"norm_name": "node.targets[0].id"} on the statement that binds it, or on the pass that
  deletes its assignment) and require {"from_context": "norm_name"} where it is used ("the call of whatever
  the student named the RMSNorm(...)"). A find_and_replace (original tree) can require a kept variable the
  same way, so that a misread site changes nothing.
- A deleted statement is right however it is spelled: extra rungs may find it as "x += y" (for "x = x + y")
  or with the operands of + or * swapped, with a replace pattern requiring only the position. A replacement
  that keeps a part ("node.left") is not right for another spelling: give it no such rungs.
- Prefer replacements by path ("node.left", "node.value.args[1]") wherever the new code is part of the old.
- v2.1 has no templating: expression text in replace_value_with is written as is. If it must use the
  reference's local names, make the pattern require exactly those names (e.g. "id": "n" where the code uses n),
  so that the definition fails loudly for a student who named them differently.

# Verification
Your definition is applied to the whole reference file and the result must have exactly the same AST as
the patched file (comments and formatting do not count). It is then applied to student-style variants of the
reference and must not inject anything else into them. Anything else is rejected, and you will be shown
why. Answer with ONE JSON object (the bug definition) and nothing else.`;

/** The system message: format, matching rules, injector quirks, golden examples. */
export function buildSystemPrompt(goldenExamples: readonly GoldenExample[]): string {
  const parts = [FORMAT_RULES];
  if (goldenExamples.length > 0) {
    parts.push('# Examples written by the curriculum authors');
    goldenExamples.forEach((example, i) => {
      parts.push(`## Example ${i + 1} (${example.file})`);
      if (example.patchText) parts.push(`Patch:\n\`\`\`diff\n${example.patchText.trimEnd()}\n\`\`\``);
      parts.push(`Definition:\n\`\`\`json\n${JSON.stringify(example.definition, null, 2)}\n\`\`\``);
    });
  }
  return parts.join('\n\n');
}

const MAX_STATEMENT_CHARS = 4_000;

/** The user message: the bug itself, its functions before and after, and the changed statements as pattern JSON. */
export function buildUserPrompt(bug: BugContext, facts: BugFacts = collectBugFacts(bug)): string {
  const parts: string[] = [`# Bug ${bug.id} (module ${bug.module}, file ${bug.targetPath})`];
  parts.push(
    bug.symptom?.trim()
      ? `## Symptom the student sees\n${bug.symptom.trim()}`
      : '## Symptom\nNo symptom file: infer the student-visible behaviour from the patch.',
  );
  if (bug.snippet) parts.push('Note: the reference file was not found; the code below comes from the patch hunks alone.');
  parts.push(`## Patch\n\`\`\`diff\n${bug.patchText.trimEnd()}\n\`\`\``);
  for (const fn of facts.functions) {
    const where = fn.scope ? ` (${fn.scope})` : '';
    if (fn.before !== undefined) parts.push(`## Function \`${fn.name}\`${where} before (reference)\n\`\`\`python\n${fn.before}\n\`\`\``);
    if (fn.after !== undefined) parts.push(`## Function \`${fn.name}\`${where} after (patched)\n\`\`\`python\n${fn.after}\n\`\`\``);
  }
  parts.push(describeChanges(facts));
  const names = [...new Set(facts.functions.map((fn) => fn.name).concat(bug.changedFunctions))];
  if (names.length > 0) parts.push(`The patch changes: ${names.map((n) => `\`${n}\``).join(', ')}.`);
  parts.push('Write the v2.1 bug definition that turns the reference into the patched code. Answer with the JSON object only.');
  return parts.join('\n\n');
}

function describeChanges(facts: BugFacts): string {
  if (facts.changes.length === 0) {
    return '## AST facts\nThe before and after trees have no differing statements (the patch may change only comments).';
  }
  const lines = ['## AST facts: the changed statements as pattern JSON (positions omitted, ctx omitted)'];
  facts.changes.forEach((change, i) => {
    lines.push(`Change ${i + 1}${change.scope ? ` in ${change.scope}` : ' at module level'}:`);
    change.removed.forEach((node, k) => {
      lines.push(`- before (line ${lineOf(node) ?? '?'}): ${clip(patternJsonText(node))}`);
      const canonical = change.canonicalRemoved[k];
      const fn = change.beforeFunction?.name;
      if (canonical) lines.push(`  as find_and_track sees it (target_function "${String(fn)}"): ${clip(patternJsonText(canonical))}`);
    });
    for (const node of change.added) lines.push(`+ after (line ${lineOf(node) ?? '?'}): ${clip(patternJsonText(node))}`);
  });
  return lines.join('\n');
}

function clip(text: string): string {
  return text.length > MAX_STATEMENT_CHARS ? `${text.slice(0, MAX_STATEMENT_CHARS)}… (truncated)` : text;
}

export function initialMessages(bug: BugContext, goldenExamples: readonly GoldenExample[]): ChatMessage[] {
  return [
    { role: 'system', content: buildSystemPrompt(goldenExamples) },
    { role: 'user', content: buildUserPrompt(bug) },
  ];
}
