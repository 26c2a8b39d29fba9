// Signature help while typing a directive's arguments: the syntax lines of nginx's reference for
// the directive in this context, the one that fits what is written so far, and the parameter the
// cursor is on. Pure: reads only the Workspace.
import { lookup, specsInContext, type DirectiveSpec } from '../data/directives';
import { directiveDocs } from '../data/reference';
import type { Workspace } from '../analysis';
import type { Word } from '../syntax/ast';
import type { FileId } from '../types';
import { argContext } from './argContext';
import { syntaxParams, type SyntaxParam } from './syntaxParams';

export interface Signature {
  /** `proxy_read_timeout time` */
  label: string;
  /** Each parameter's [start, end) in the label. */
  parameters: [number, number][];
  /** Markdown: the first paragraph of the reference's description, and the module. */
  documentation: string;
}

export interface SignatureHelp {
  signatures: Signature[];
  active: number;
  activeParameter: number;
}

/** The signatures of the directive whose arguments the cursor is in; undefined elsewhere. */
export function signatureHelp(ws: Workspace, file: FileId, offset: number): SignatureHelp | undefined {
  const a = argContext(ws, file, offset);
  if (!a) return undefined;
  const inCtx = a.ctx ? specsInContext(a.name, a.ctx) : [];
  const specs: readonly DirectiveSpec[] = inCtx.length ? inCtx : lookup(a.name) ?? [];
  const signatures: Signature[] = [];
  const fits: boolean[] = [];
  const actives: number[] = [];
  for (const s of specs) {
    const doc = directiveDocs(s.name).find((d) => d.module === s.module);
    for (const line of doc?.syntax ?? []) {
      const params = syntaxParams(line);
      let label = a.name;
      const parameters: [number, number][] = [];
      for (const p of params) {
        label += ' ';
        parameters.push([label.length, label.length + p.label.length]);
        label += p.label;
      }
      const first = doc!.description.split(/\n\s*\n/)[0].trim();
      signatures.push({ label: `${label}${s.block ? ' { … }' : ';'}`, parameters, documentation: `${first}\n\n*${s.module}*` });
      fits.push(fitsWords(params, a.before, a.index));
      actives.push(activeParam(params, a.index, a.typed));
    }
  }
  if (!signatures.length) return undefined;
  const active = Math.max(0, fits.indexOf(true));
  return { signatures, active, activeParameter: actives[active] };
}

/** Whether the words written so far can be this syntax's first arguments. */
function fitsWords(params: SyntaxParam[], before: Word[], index: number): boolean {
  if (!params.length) return index === 0;
  const repeats = params.some((p) => p.repeats) || params.slice(1).some((p) => p.optional);
  if (index >= params.length && !repeats) return false;
  for (let j = 0; j < before.length && j < params.length; j++) {
    const p = params[j];
    if (p.placeholder || !p.literals.length || p.optional) continue;
    const v = before[j].value.toLowerCase();
    if (!p.literals.some((l) => (l.endsWith('=') ? v.startsWith(l.toLowerCase()) : v === l.toLowerCase()))) return false;
  }
  return true;
}

/** The parameter for argument `index`: the optional keyword being typed (listen's `ssl`), else by position. */
function activeParam(params: SyntaxParam[], index: number, typed: string): number {
  if (!params.length) return 0;
  const t = typed.toLowerCase();
  if (t && index > 0) {
    const j = params.findIndex((p, k) => k > 0 && p.optional && p.literals.some((l) => l.toLowerCase().startsWith(t) || (l.endsWith('=') && t.startsWith(l.toLowerCase()))));
    if (j > 0) return j;
  }
  const r = params.findIndex((p) => p.repeats);
  if (r >= 0 && index >= r && r === params.length - 1) return r;
  return Math.min(index, params.length - 1);
}
