// Python text for AST nodes: short snippets for descriptions and reasons, and exact
// expression texts for `replace_value_with` sources.
import { parseExpressions, unparsePython } from '../../src/plugin-kit.js';
import type { PythonRuntime } from '../../src/plugin-kit.js';
import { sameTree, type PyNode } from '../../src/plugin-kit.js';

const SNIPPET_LENGTH = 70;

export interface CodeSnippets {
  /** The first line of `ast.unparse(node)`, shortened; a block shows as `with …: …`. */
  of(node: PyNode | readonly PyNode[]): Promise<string>;
  /**
   * `ast.unparse(node)` when CPython parses it back (eval mode) into the same tree — the only
   * kind of text a `replace_value_with` source may be — else undefined.
   */
  expressionText(node: PyNode): Promise<string | undefined>;
}

export function codeSnippets(python: PythonRuntime): CodeSnippets {
  // By content (positions included): every strategy of synth works on its own copy of the same tree.
  const texts = new Map<string, Promise<string | undefined>>();
  const expressions = new Map<string, Promise<string | undefined>>();
  const unparse = (node: PyNode): Promise<string | undefined> => {
    const key = JSON.stringify(node);
    let text = texts.get(key);
    if (!text) {
      text = unparsePython(python, node).then((r) => (r.ok ? r.text : undefined));
      texts.set(key, text);
    }
    return text;
  };
  return {
    async of(node) {
      const nodes = Array.isArray(node) ? node : [node as PyNode];
      const parts = await Promise.all(nodes.map(async (n) => shorten((await unparse(n)) ?? `<${n._type}>`)));
      return parts.join('; ');
    },
    expressionText(node) {
      const key = JSON.stringify(node);
      let checked = expressions.get(key);
      if (!checked) {
        checked = (async () => {
          const text = await unparse(node);
          if (text === undefined) return undefined;
          const [parsed] = await parseExpressions(python, [text]);
          return parsed && sameTree(parsed, node) ? text : undefined;
        })();
        expressions.set(key, checked);
      }
      return checked;
    },
  };
}

function shorten(text: string): string {
  const lines = text.split('\n');
  let first = lines[0]!;
  if (lines.length > 1) first = `${first} …`;
  return first.length > SNIPPET_LENGTH ? `${first.slice(0, SNIPPET_LENGTH - 1)}…` : first;
}
