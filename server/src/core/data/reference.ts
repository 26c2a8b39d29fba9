// The prose of nginx's reference (reference.json, written by scripts/gen-reference.mjs from
// @nginx/reference-lib): each directive's syntax lines and full description, each variable's
// description, in Markdown. What nginx checks (contexts, counts, defaults) is in directives.ts.
// Pure: no I/O; the JSON is bundled.
import data from './reference.json';

export interface DirectiveDoc {
  module: string;
  /** The syntax lines, Markdown: *`name`* a parameter, `word` literal text, [ ] optional. */
  syntax: readonly string[];
  description: string;
}

export interface VariableDoc {
  /** The name without `$`; a family ends in `_` (`http_` for `$http_NAME`). */
  name: string;
  module: string;
  description: string;
}

interface RawData {
  source: string;
  directives: Record<string, { m: string; s: string[]; d: string }[]>;
  variables: Record<string, { m: string; d: string }[]>;
}

const raw = data as RawData;

export const REFERENCE_SOURCE: string = raw.source;

/** The reference's entries for a directive (one per module that has it). */
export function directiveDocs(name: string): DirectiveDoc[] {
  return (Object.prototype.hasOwnProperty.call(raw.directives, name) ? raw.directives[name] : []).map((e) => ({ module: e.m, syntax: e.s, description: e.d }));
}

/** The entry of a directive in one module. */
export function directiveDoc(name: string, module: string): DirectiveDoc | undefined {
  return directiveDocs(name).find((d) => d.module === module);
}

let vars: VariableDoc[] | undefined;

/** Every variable the reference describes, families (`$http_NAME`) as their prefix (`http_`). */
export function variableDocs(): readonly VariableDoc[] {
  vars ??= Object.entries(raw.variables).flatMap(([name, l]) => l.map((e) => ({ name: name.replace(/NAME$/, ''), module: e.m, description: e.d })));
  return vars;
}

/** The entries for a variable name (no `$`, lower case): its own, else its family's (`http_upgrade` → `$http_NAME`). */
export function variableDoc(name: string): VariableDoc[] {
  const n = name.toLowerCase();
  const own = variableDocs().filter((v) => v.name === n);
  if (own.length) return own;
  const fam = variableDocs().filter((v) => v.name.endsWith('_') && n.startsWith(v.name) && n.length > v.name.length);
  const longest = Math.max(0, ...fam.map((v) => v.name.length));
  return fam.filter((v) => v.name.length === longest);
}

/** A syntax line without the `{...}` the reference writes after a block's arguments. */
export function syntaxArgs(s: string): string {
  return s.replace(/\s*`?\{\s*\.\.\.\s*\}`?\s*$/, "").trim();
}

/** A syntax line's arguments as plain text: `*\`size\`*` → `size` (a block's `{...}` left out). */
export function plainSyntax(s: string): string {
  return syntaxArgs(s).replace(/\*`([^`]*)`\*/g, '$1').replace(/`([^`]*)`/g, '$1').replace(/\\(.)/g, '$1');
}
