// Pieces several WebSocket rules share: where a header line goes, and the upgrade map.
import { headerName, type ProxyBlock, type WsModel } from '../model/effective';
import type { ENode, RootAnalysis } from '../model/tree';
import { insertAfter, insertAtBlockEnd, upgradeMapInsertion } from '../fix/edits';
import type { Fix, TextEdit } from '../types';
import type { RuleContext } from './types';

/** The directive's text as written (for copying inherited lines). */
export function sourceOf(ctx: RuleContext, n: ENode): string {
  return ctx.text(n.file).slice(n.d.span.start, n.d.span.end);
}

/**
 * An edit that adds `lines` to the proxying block so that they take effect, respecting the
 * all-or-nothing inheritance of proxy_set_header: if the block has its own headers the lines join
 * them; if its headers are inherited, adding one would drop the rest, so the inherited lines are
 * copied along; otherwise the lines go after proxy_pass.
 */
export function addToProxyBlock(ctx: RuleContext, b: ProxyBlock, lines: string[], kind: 'header' | 'directive'): { edit: TextEdit; copied: number } | undefined {
  const node = b.node;
  if (!node.d.block || !node.d.block.close) return undefined;
  const text = ctx.text(node.file);
  const ownIn = (name: string) => node.children.filter((c) => c.d.name === name && c.file === node.file);
  let toAdd = lines;
  let copied = 0;
  if (kind === 'header' && b.headerLevel && b.headerLevel.node !== node) {
    // inherited headers would be lost: copy them (except ones being redefined)
    const redefined = new Set(lines.map((l) => /^proxy_set_header\s+(\S+)/.exec(l)?.[1]?.toLowerCase()));
    const inherited = [...b.headers.values()].filter((h) => !redefined.has(headerName(h)));
    copied = inherited.length;
    toAdd = [...inherited.map((h) => sourceOf(ctx, h)), ...lines];
  }
  const ownHeaders = ownIn('proxy_set_header');
  const anchor = kind === 'header' && ownHeaders.length ? ownHeaders[ownHeaders.length - 1] : ownIn('proxy_http_version')[0] ?? ownIn('proxy_pass')[0];
  if (kind === 'header' && b.headerLevel?.node === node && ownHeaders.length === 0) {
    // all of this level's headers come from an include: add beside that include
    const inc = node.children.find((c) => c.d.name === 'include' && c.file === node.file);
    if (inc) return { edit: insertAfter(text, inc, node, toAdd), copied };
  }
  const edit = anchor ? insertAfter(text, anchor, node, toAdd) : insertAtBlockEnd(text, node, toAdd);
  return { edit, copied };
}

/** Where the canonical upgrade map goes (fix/edits.ts upgradeMapInsertion), for a rule. */
export function mapInsertion(ctx: RuleContext, model: WsModel, root: RootAnalysis, empty: 'close' | "''" = 'close', variable = 'connection_upgrade'): TextEdit | undefined {
  return upgradeMapInsertion(ctx.text, model, root, empty, variable);
}

/** The file name part of a FileId, for fix titles. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

export function fix(title: string, edits: (TextEdit | undefined)[], kind: Fix['kind'] = 'safe'): Fix[] {
  const ok = edits.filter((e): e is TextEdit => !!e);
  return ok.length === edits.length && ok.length ? [{ title, kind, edits: ok }] : [];
}

