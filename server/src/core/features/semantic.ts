// Semantic tokens for what the TextMate grammar cannot know: a directive name nginx does not
// know, or does not allow where it stands (from nginx's own checks), a variable the
// configuration makes (map, set, geo… in whichever file) versus one of nginx's own, upstream
// names and named locations, their definitions marked. Pure: offsets in, offsets out.
import { isKnownVariable } from '../data/directives';
import type { Workspace } from '../analysis';
import type { FileId } from '../types';
import { fileSymbols } from './references';

/** The legend: token types and modifiers, by index. */
export const SEMANTIC_TYPES = ['variable', 'namespace', 'function', 'unknownDirective'] as const;
export const SEMANTIC_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

export interface SemanticToken {
  start: number;
  end: number;
  type: (typeof SEMANTIC_TYPES)[number];
  modifiers: (typeof SEMANTIC_MODIFIERS)[number][];
}

const MISPLACED = /^(unknown directive "|"[^"]+" directive is not allowed here$)/;

export function semanticTokens(ws: Workspace, file: FileId): SemanticToken[] {
  const out: SemanticToken[] = [];
  const real = ws.canonical(file);
  for (const f of ws.findings(file)) {
    if (f.code === 'nginx-directive' && ws.canonical(f.file) === real && MISPLACED.test(f.message)) out.push({ start: f.span.start, end: f.span.end, type: 'unknownDirective', modifiers: [] });
  }
  for (const { o, defined } of fileSymbols(ws, file)) {
    const modifiers: SemanticToken['modifiers'] = o.def ? ['declaration'] : [];
    if (o.kind === 'upstream') out.push({ start: o.token.start, end: o.token.end, type: 'namespace', modifiers });
    else if (o.kind === 'named') out.push({ start: o.token.start, end: o.token.end, type: 'function', modifiers });
    else if (defined) out.push({ start: o.token.start, end: o.token.end, type: 'variable', modifiers });
    else if (isKnownVariable(o.name, o.family)) out.push({ start: o.token.start, end: o.token.end, type: 'variable', modifiers: ['readonly', 'defaultLibrary'] });
  }
  // one token per place, in order (a directive name is never a variable, but be sure)
  out.sort((a, b) => a.start - b.start);
  return out.filter((t, i) => i === 0 || t.start >= out[i - 1].end);
}
