// A small Python tokenizer for comparing lines of code up to formatting: names, numbers, strings
// (by their value, whatever the quotes), operators; comments, line continuations and the trailing
// comma before a closing bracket left out. Lines inside a triple-quoted string (a docstring) are
// marked as such. Enough for patch lines, which are often partial statements that `ast` cannot parse.

export type TokenKind = 'name' | 'number' | 'string' | 'op';

export interface Token {
  kind: TokenKind;
  /** As written. */
  text: string;
  /** What two tokens are compared by: a string's prefix and body whatever its quotes, a number without `_`. */
  key: string;
  /** 0-based column in its line. */
  column: number;
  /** A name read as an attribute (`x.name`) or a keyword argument (`f(name=…)`): never renamed. */
  fixed?: boolean;
}

export interface TokenLine {
  tokens: Token[];
  /** Its comment, if any (with the `#`). */
  comment?: string;
  /** The line lies inside (or opens or closes) a triple-quoted string and holds no other code. */
  inString: boolean;
}

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case'.split(
    ' ',
  ),
);

const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '->', ':=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@='];

/** Tokenizes lines in order; `startsInString` says the first line continues a triple-quoted string (e.g. a hunk starting inside a docstring). */
export function tokenizeLines(lines: readonly string[], startsInString: string | undefined = undefined): TokenLine[] {
  let open: string | undefined = startsInString;
  let depth = 0;
  return lines.map((line) => {
    const tokens: Token[] = [];
    let comment: string | undefined;
    let i = 0;
    let touchedString = open !== undefined;
    if (open !== undefined) {
      const end = findClose(line, 0, open);
      if (end < 0) return { tokens, inString: true };
      i = end + open.length;
      open = undefined;
    }
    while (i < line.length) {
      const c = line[i]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\\') {
        i++;
        continue;
      }
      if (c === '#') {
        comment = line.slice(i);
        break;
      }
      const string = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(line.slice(i));
      if (string && (string[1] === '' || /^[A-Za-z]/.test(c))) {
        const prefix = string[1]!;
        const quote = string[2]!;
        const bodyStart = i + prefix.length + quote.length;
        const end = findClose(line, bodyStart, quote);
        if (end < 0) {
          if (quote.length === 3) {
            open = quote;
            touchedString = true;
            break;
          }
          i = line.length;
          continue;
        }
        if (quote.length === 3) touchedString = true;
        tokens.push({ kind: 'string', text: line.slice(i, end + quote.length), key: `${prefix.toLowerCase()}:${line.slice(bodyStart, end)}`, column: i });
        i = end + quote.length;
        continue;
      }
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(line.slice(i));
      if (name) {
        tokens.push({ kind: 'name', text: name[0], key: name[0], column: i });
        i += name[0].length;
        continue;
      }
      const number = /^(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/.exec(line.slice(i));
      if (number && number[0] !== '.') {
        tokens.push({ kind: 'number', text: number[0], key: number[0].replaceAll('_', '').toLowerCase(), column: i });
        i += number[0].length;
        continue;
      }
      const op = OPERATORS.find((o) => line.startsWith(o, i)) ?? c;
      if ('([{'.includes(op)) depth++;
      if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'op', text: op, key: op, column: i });
      i += op.length;
    }
    markFixedNames(tokens, depth);
    const code = tokens.length > 0 && !(touchedString && tokens.every((t) => t.kind === 'string'));
    return { tokens: code ? tokens : [], ...(comment !== undefined ? { comment } : {}), inString: !code && touchedString };
  });
}

function findClose(line: string, from: number, quote: string): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      continue;
    }
    if (line.startsWith(quote, i)) return i;
  }
  return -1;
}

/** Attribute names (`.name`) and keyword arguments (`name=` inside brackets) are part of an API, never local names. */
function markFixedNames(tokens: Token[], depthAtEnd: number): void {
  let depth = depthAtEnd;
  // Depth before each token, recomputed from the end (the line may open or close brackets).
  const depths: number[] = new Array(tokens.length);
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!.text;
    if (tokens[k]!.kind === 'op' && '([{'.includes(t)) depth--;
    if (tokens[k]!.kind === 'op' && ')]}'.includes(t)) depth++;
    depths[k] = depth;
  }
  tokens.forEach((token, k) => {
    if (token.kind !== 'name') return;
    if (KEYWORDS.has(token.text)) token.fixed = true;
    else if (tokens[k - 1]?.text === '.') token.fixed = true;
    else if (tokens[k + 1]?.text === '=' && depths[k]! > 0) token.fixed = true;
  });
}

/**
 * The tokens two pieces of code are compared by: a comma right before a closing bracket is
 * formatting — except the lone comma of a one-element tuple, `(x,)` or `a[x,]`, which `(x)` and
 * `a[x]` are not.
 */
export function comparable(tokens: readonly Token[]): Token[] {
  const formatting = new Set<number>();
  const open: { tuple: boolean; commas: number }[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'op') return;
    if ('([{'.includes(t.text)) {
      const before = tokens[k - 1];
      const applied = before !== undefined && ((before.kind === 'name' && !KEYWORDS.has(before.text)) || before.kind === 'string' || ')]}'.includes(before.text));
      // `f(x,)` is a call and `[x,]` a list: their trailing comma is formatting; `(x,)` is a tuple, `a[x,]` a tuple index.
      open.push({ tuple: t.text === '(' ? !applied : t.text === '[' && applied, commas: 0 });
    } else if (t.text === ',') {
      if (open.length) open[open.length - 1]!.commas++;
    } else if (')]}'.includes(t.text)) {
      const group = open.pop();
      const previous = tokens[k - 1];
      if (previous?.kind === 'op' && previous.text === ',' && !(group?.tuple && group.commas === 1)) formatting.add(k - 1);
    }
  });
  return tokens.filter((_, k) => !formatting.has(k));
}

export function isKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}
