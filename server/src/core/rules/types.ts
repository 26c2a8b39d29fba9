import type { ENode, RootAnalysis, AnalyzeOptions } from '../model/tree';
import type { WsModel } from '../model/effective';
import type { FileId, Fix, Related, Severity, Span } from '../types';

export interface RuleMeta {
  /** == folder name == Diagnostic.code == docs/rules/<id>.md */
  id: string;
  severity: Severity;
  /** When some findings take another severity: says when (shown beside the default in the tables). */
  severityNote?: string;
  /** 'safe' fixes join fix-all and --fix; 'suggestion' ones are offered one by one. */
  fix: 'none' | 'safe' | 'suggestion';
  /** What else the fix may touch (shown beside the fix kind in the tables). */
  fixNote?: string;
  /** One line, shown in the rules table. */
  summary: string;
  /** messageId → template with {name} placeholders. */
  messages: Record<string, string>;
}

export interface Report {
  node: ENode;
  /** Defaults to the directive's name. */
  span?: Span;
  /** Defaults to the node's file. */
  file?: FileId;
  messageId: string;
  data?: Record<string, string>;
  /** Overrides meta.severity for this finding (e.g. warning → error when intent is certain). */
  severity?: Severity;
  related?: Related[];
  fixes?: Fix[];
  /** Drop nginx's generic finding on the same span: this one says the same, better. */
  replacesNginx?: boolean;
}

/** What a rule sees: one root's include-expanded tree and the WebSocket model built on it. */
export interface RuleContext {
  root: RootAnalysis;
  model: WsModel;
  options: AnalyzeOptions;
  /** Text of any file of the root (for edits). */
  text(file: FileId): string;
  report(r: Report): void;
  /**
   * Is a variable (`connection_upgrade` or `$connection_upgrade`) defined in the root's graph,
   * or, for a fragment nobody includes, elsewhere in the workspace (for when it is included)?
   */
  defined(variable: string): boolean;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
