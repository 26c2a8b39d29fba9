// The core's one face: everything the language server (lsp/), the CLI, the host, the nginx -t
// sandbox and the client take from the core comes from here (types also from core/types.ts).
// Behind it, floors one way: data, types, text → syntax → options → model → rules → analysis →
// features (ARCHITECTURE.md; test/layers.test.ts enforces it).

// the workspace: the store of files and the analysis of its roots
export { Workspace, Snapshot, type Judged } from './analysis';
export { DEFAULT_OPTIONS, type AnalyzeOptions, type ENode, type NodeCtx, type RootAnalysis } from './model/tree';
export { MAX_FILE_BYTES, isMainFile } from './model/files';
export { globToRegExp } from './model/includes';
export type { Word, Directive, ParsedFile } from './syntax/ast';

// settings: one declaration of every option, and the values they accept
export { DEFAULT_NGINX_VERSION, LEVELS, NGINX_TIME_RE, NGINX_VERSION_RE, OPTIONS, cliFlag, cliUsage, option, optionDefault, type OptionDecl } from './options';
export { FRONTED_BY_RE, frontIdle } from './options';
export { parseSeconds } from './model/effective';

// codes and their pages
export { docsUrl } from './docs';
export { CODES, codeInfo, type CodeInfo } from './registry';

// offsets ↔ lines, for the edges only
export { lineStarts, offsetAt, positionAt } from './text';

// features
export { fixAll, fixAllTexts, minimalEdit, type FixAllOptions, type FixAllResult } from './features/fixAll';
export { WORKING_LOCATION_TITLE, hasLocationFixes, workingLocation, type WorkingLocation } from './features/wsLocation';
export { planUpgradeMap, type MapPlan } from './features/upgradeMap';
export { endpointSuggestions, locationPath, type EndpointSuggestion } from './features/endpoints';
export { cursorContext, topContext, type CursorContext } from './features/cursorContext';
export { directiveCompletions, type DirectiveCompletion } from './features/completion';
export { PACKAGE_KEY, PROJECT_FILE, PROJECT_OPTIONS, readProjectConfig, type ProjectConfig, type ProjectProblem } from './features/projectConfig';
export { definitionsOf, describe, includeTargets, outline, symbolAt, type NavSymbol, type OutlineItem, type Place } from './features/navigate';
export { applyEdits, formatOnType, formatRange, formatText, type FormatEdit, type FormatOptions, type FormatResult } from './features/format';
export { droppedMarkdown, droppedSummary, effectiveViews, summaryParts, viewMarkdown, type DroppedLine, type EffectiveViews, type ProxyView, type ViewPlace } from './features/effectiveView';
export { headLines, upstreamRequest, type UpstreamRequest } from './model/headerList';
export { normalizeHost, normalizeUri, routeReport, routeRequest, type RouteHeader, type RoutePlace, type RouteProxy, type RouteQuery, type RouteResult, type RouteSetting, type ServerBy } from './features/route';
export { argumentCompletions, type ArgCompletion, type ArgItemKind } from './features/argCompletion';
export { signatureHelp, type Signature, type SignatureHelp } from './features/signature';
export { describeDirectiveFull, describeVariable, hoverAt, type HoverResult } from './features/hover';
export { definitionsAt, highlightsAt, prepareRename, referencesAt, renameAt, symbolGroup, type Occurrence, type RefPlace, type RenameCheck, type RenameResult } from './features/references';
export { foldingRanges, selectionRanges, type Fold } from './features/folding';
export { documentLinks, type DocLink } from './features/links';
export { disableEdit } from './features/suppress';
export { looksLikeNginx } from './features/detect';
export { SEMANTIC_MODIFIERS, SEMANTIC_TYPES, semanticTokens, type SemanticToken } from './features/semantic';
