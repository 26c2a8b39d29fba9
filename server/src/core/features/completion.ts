// Completion of directive names by context: what nginx accepts where the cursor stands (a
// location offers proxy_pass, not server_name; http offers server, map, upstream; stream its own),
// from the directive table generated from nginx's reference, with the same documentation the
// hover shows. A directive nginx refuses twice in one block ("is duplicate") is not offered again
// once the block has it. Pure.
import { directiveNames, specsInContext, type DirectiveSpec } from '../data/directives';
import type { Workspace } from '../analysis';
import type { FileId } from '../types';
import { cursorContext } from './cursorContext';
import { parseVersion, versionAtLeast } from '../model/effective';
import { describeDirectiveFull } from './hover';
import { directiveDoc, plainSyntax } from '../data/reference';

export interface DirectiveCompletion {
  name: string;
  /** One line: the syntax from the reference (`proxy_read_timeout time;`). */
  detail: string;
  /** The first sentence of the reference's description, and the module. */
  summary: string;
  /** Markdown, as the hover shows it (made on demand: the editor asks for one item's at a time). */
  documentation: () => string;
  /** The text to insert, a snippet: `name $0;` or `name $1 {\n\t$0\n}`. */
  snippet: string;
  /** Commercial (NGINX Plus), separately built modules, or (for nginx 1.22) not in its standard build here: listed after the others. */
  secondary: boolean;
  /** What the completion replaces: [start, offset). */
  start: number;
}

const CACHE = new Map<string, string[]>();

/** Directive names nginx accepts in a context, sorted (cached per context). */
function namesIn(ctx: string): string[] {
  let l = CACHE.get(ctx);
  if (!l) {
    l = directiveNames().filter((n) => specsInContext(n, ctx as DirectiveSpec['contexts'][number]).length > 0).sort();
    CACHE.set(ctx, l);
  }
  return l;
}

/** The directives that may be written at `offset` of `file`; undefined where no directive may start. */
export function directiveCompletions(ws: Workspace, file: FileId, offset: number): DirectiveCompletion[] | undefined {
  const at = cursorContext(ws, file, offset);
  if (!at) return undefined;
  const present = new Set(at.siblings);
  const old = !versionAtLeast(parseVersion(ws.options.nginxVersion), [1, 23, 0]);
  const out: DirectiveCompletion[] = [];
  for (const name of namesIn(at.ctx)) {
    const specs = specsInContext(name, at.ctx);
    const s = specs[0];
    if (present.has(name) && specs.every((x) => x.dup)) continue;
    const block = specs.some((x) => x.block);
    const takesArgs = specs.some((x) => x.maxArgs > 0);
    out.push({
      name,
      detail: syntaxLine(name, s.module, block),
      summary: `${firstSentence(name, s.module)}${s.plus ? ' (NGINX Plus)' : ''}`,
      documentation: () => describeDirectiveFull(name, ws.options.nginxVersion, at.ctx) ?? '',
      snippet: block ? `${name} ${takesArgs ? '$1 ' : ''}{\n\t$0\n}` : takesArgs ? `${name} $0;` : `${name};`,
      // for nginx 1.22: what its standard build does not know here comes after (resolver in upstream is 1.27.3's)
      secondary: specs.every((x) => x.plus || x.external || (old && !x.inLight122)),
      start: at.wordStart,
    });
  }
  return out;
}

/** The reference's first syntax line, plain: `proxy_read_timeout time;`, `location [ = | ~ ] uri { … }`. */
function syntaxLine(name: string, module: string, block: boolean): string {
  const line = directiveDoc(name, module)?.syntax[0];
  return `${[name, line ? plainSyntax(line) : ''].filter(Boolean).join(' ')}${block ? ' { … }' : ';'}`;
}

/** The description's first sentence, Markdown links and emphasis dropped. */
function firstSentence(name: string, module: string): string {
  const d = directiveDoc(name, module)?.description ?? '';
  const plain = d.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*`]/g, '').replace(/\s+/g, ' ').trim();
  const m = /^(.*?[.:])(\s|$)/.exec(plain);
  const s = m ? m[1] : plain;
  return s.length > 100 ? `${s.slice(0, 97)}…` : s;
}
