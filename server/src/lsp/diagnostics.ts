// Finding → Diagnostic. Code actions find their way back through `code` + range, checked
// against the version stored in `data`.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { docsUrl } from '../core/index';
import type { FileId, Finding, Severity } from '../core/types';
import { LineMap } from './convert';

export const SOURCE = 'nginx-websocket';

/** Carried in Diagnostic.data for code actions. */
export interface DiagnosticData {
  /** Version of the open document the diagnostic was computed for; null for a file not open. */
  version: number | null;
  /** Identifies the finding within that version (code and span). */
  key: string;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function findingKey(f: Finding): string {
  return `${f.code}@${f.span.start}-${f.span.end}`;
}

export interface ConvertEnv {
  /** Line map of a file's current text (cached by the caller). */
  lines(file: FileId): LineMap;
  uri(file: FileId): string;
  relatedInformation: boolean;
}

export function toDiagnostic(f: Finding, version: number | null, env: ConvertEnv): Diagnostic {
  const d: Diagnostic = {
    range: env.lines(f.file).range(f.span),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: SOURCE,
    code: f.code,
    codeDescription: { href: docsUrl(f.code) },
    message: f.message,
    data: { version, key: findingKey(f) } satisfies DiagnosticData,
  };
  if (env.relatedInformation && f.related?.length) {
    d.relatedInformation = f.related.map(
      (r): DiagnosticRelatedInformation => ({ location: { uri: env.uri(r.file), range: env.lines(r.file).range(r.span) }, message: r.note }),
    );
  }
  return d;
}

export function isDiagnosticData(x: unknown): x is DiagnosticData {
  const o = x as DiagnosticData | undefined;
  return !!o && typeof o.key === 'string' && (o.version === null || typeof o.version === 'number');
}
