// The parameters of a directive's syntax line from nginx's reference (`*\`time\`*`, `\`on\` |
// \`off\``, `[\`default_server\`]`…), for signature help and the literal words completion offers.
// Pure.
import { plainSyntax, syntaxArgs } from '../data/reference';

export interface SyntaxParam {
  /** As the reference writes it, plain: `[default_server]`, `on | off`, `time`. */
  label: string;
  /** Written in [ ]: may be left out. */
  optional: boolean;
  /** Followed by `...`: repeats to the end. */
  repeats: boolean;
  /** Literal words it takes (`on`, `off`, `default_server`; `backlog=` and `shared:` begin a word); none for a pure placeholder. */
  literals: string[];
  /** A placeholder (*`size`*) outside any `name=` is part of it: any word goes. */
  placeholder: boolean;
}

/** Splits one syntax line into its parameters. */
export function syntaxParams(line: string): SyntaxParam[] {
  const tokens: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of syntaxArgs(line)) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (cur) tokens.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) tokens.push(cur);
  // `a` | `b` with spaces around the bar is one parameter
  const merged: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '|' && merged.length && i + 1 < tokens.length) merged[merged.length - 1] += ` | ${tokens[++i]}`;
    else merged.push(tokens[i]);
  }
  const out: SyntaxParam[] = [];
  for (const t of merged) {
    if (t === '...') {
      if (out.length) out[out.length - 1].repeats = true;
      continue;
    }
    const repeats = t.endsWith('...');
    const body = repeats ? t.slice(0, -3).trim() : t;
    out.push({ label: plainSyntax(body) + (repeats ? ' ...' : ''), optional: body.startsWith('[') && body.endsWith(']'), repeats, ...literalsOf(body) });
  }
  return out;
}

function literalsOf(s: string): { literals: string[]; placeholder: boolean } {
  const literals: string[] = [];
  let placeholder = false;
  let afterEq = false;
  const re = /\*`([^`]*)`\*|`([^`]*)`|(=)|([\s[\]])/g;
  for (let m: RegExpExecArray | null; (m = re.exec(s));) {
    if (m[3]) { afterEq = true; continue; }
    if (m[4]) { afterEq = false; continue; }
    const next = s[re.lastIndex];
    const eq = next === '=' || (next === ':' && !(m[2] ?? m[1]).endsWith(':'));
    if (afterEq) continue; // the value of a name= (on|off after ipv6only=)
    if (m[1] !== undefined) { placeholder = true; continue; }
    const w = m[2];
    if (!/^[A-Za-z0-9_.:+-]+$/.test(w)) continue;
    literals.push(eq ? `${w}${next}` : w);
  }
  return { literals: [...new Set(literals)], placeholder };
}
