// Signature help while typing a directive's arguments (core/features/signature.ts).
import { MarkupKind, type SignatureHelp, type SignatureHelpParams } from 'vscode-languageserver';
import { signatureHelp as coreSignatureHelp } from '../core/index';
import type { ServerContext } from './context';
import { LineMap, uriToFile } from './convert';

/** Typing a space starts a new argument; a comma never does in nginx. */
export const SIGNATURE_TRIGGERS = [' '];

export function signatureHelp(ctx: ServerContext, params: SignatureHelpParams): SignatureHelp | null {
  const file = uriToFile(params.textDocument.uri);
  if (file === undefined) return null;
  const ws = ctx.projects.of(file).ws;
  const offset = new LineMap(ws.text(file) ?? '').span({ start: params.position, end: params.position }).start;
  const h = coreSignatureHelp(ws, file, offset);
  if (!h) return null;
  return {
    signatures: h.signatures.map((s) => ({
      label: s.label,
      documentation: { kind: MarkupKind.Markdown, value: s.documentation },
      parameters: s.parameters.map((p) => ({ label: p })),
    })),
    activeSignature: h.active,
    activeParameter: h.activeParameter,
  };
}
