// The include-expanded tree of a root and the options of its analysis: the types every floor
// from the model up shares. Types only; the store (files.ts) and the checks (validate.ts) build them.
import type { Ctx } from '../data/directives';
import type { Directive, ParsedFile } from '../syntax/ast';
import type { FileId, Finding, Severity, Span } from '../types';

export interface ValidateOptions {
  /** Directive names of third-party modules to accept (never "unknown directive"). */
  extraDirectives: string[];
  /**
   * 'reference': every directive of the nginx reference (open source and commercial).
   * 'light-1.22': only what Debian's nginx-light 1.22 knows, to compare with that binary.
   */
  directiveSet: 'reference' | 'light-1.22';
  /** The nginx version the configuration is for ('1.22', '1.29.7'); empty: 1.22. */
  nginxVersion?: string;
}

/** One configuration level: a block (location, server, http…) or the top of a fragment file. */
export interface Level {
  node?: ENode;
  children: ENode[];
  ctx: NodeCtx;
  /** Cache: the directives this level holds directly, by name (see own()). */
  index?: Map<string, ENode[]>;
  /** Cache: whether this level sets Upgrade/Connection (see setsUpgrade()). */
  upgrade?: boolean;
}

/** Where a directive stands once includes are expanded. */
export type NodeCtx = Ctx | 'handler' | 'opaque' | 'unknown';

/** A directive in the include-expanded tree of one root. */
export interface ENode {
  d: Directive;
  file: FileId;
  /** The context the directive stands in. */
  ctx: NodeCtx;
  /** The enclosing block directive, across include boundaries. */
  parent?: ENode;
  /** Block contents, with included files' directives spliced in after their `include`. */
  children: ENode[];
  /** For directives of an included file: the include that brought the file in. */
  includedFrom?: ENode;
  /** Cache of the model (effective.ts): this block as a configuration level. */
  level?: Level;
  /** Cache of the model: the lower-cased first argument (the header of a proxy_set_header). */
  header?: string;
}

/**
 * One root as nginx reads it: validate's product, never changed once built (the rules'
 * judgement of it is a separate value, see analysis.ts Judged).
 */
export interface RootAnalysis {
  root: FileId;
  /** 'main': has events/http at top level; 'fragment': a file nobody includes (conf.d style). */
  kind: 'main' | 'fragment';
  ctx: Ctx;
  top: ENode[];
  /** Every file reached, root included. */
  files: Set<FileId>;
  /** False when an include could not be followed (missing, outside the workspace, a cycle). */
  complete: boolean;
  /** What nginx's own checks (validate) found, before rules and settings, in the order nginx meets them. */
  nginxFindings: Finding[];
  /** Include directives whose files could not be read: what they hold is unknown. */
  unfollowed: Set<ENode>;
  /** Every path and glob its includes looked up: a file appearing there changes this root. */
  lookups: { paths: Set<string>; globs: RegExp[] };
  /**
   * Files reached outside the configuration's folder that the workspace does not hold (an
   * absolute include of /etc/secret.conf): each with the include in the workspace that led
   * there. What is found in them is reported at that include, without their text.
   */
  outside: Map<FileId, { file: FileId; span: Span }>;
}

export interface AnalyzeOptions extends ValidateOptions {
  /** Target nginx version ('1.22', '1.29.7'); rules follow its defaults. Default 1.22. */
  nginxVersion?: string;
  /** Per-rule severity override; 'off' silences the rule. */
  rules?: Record<string, Severity | 'off'>;
  /** Extra location paths or upstream names (regex sources) that mark WebSocket endpoints. */
  endpointPatterns?: string[];
  /** Value the read-timeout fix writes (default 600s, as in the article). */
  readTimeout?: string;
  /** How the Connection fix writes the header: via the $connection_upgrade map, or "upgrade". */
  connectionStyle?: 'map' | 'literal';
  /** The CDN or load balancer in front (frontedBy setting: cloudflare, aws-alb, or its idle limit in seconds); undefined for none. */
  frontedBy?: string;
}

export const DEFAULT_OPTIONS: AnalyzeOptions = { extraDirectives: [], directiveSet: 'reference' };

/** The files an include names, the path it was resolved to, and whether it points outside. */
export interface ResolvedInclude {
  files: FileId[];
  glob: boolean;
  path: string;
  outside: boolean;
}

/** What the checks read of the files while they expand a root's includes (the store implements it). */
export interface IncludeSource {
  text(file: FileId): string | undefined;
  readError(file: FileId): string | undefined;
  parsed(file: FileId, handler?: boolean): ParsedFile | undefined;
  isOutside(file: FileId, prefix: string): boolean;
  prefixOf(root: FileId, kind: 'main' | 'fragment'): string;
  resolveInclude(prefix: string, arg: string, lookups?: RootAnalysis['lookups']): ResolvedInclude;
}
