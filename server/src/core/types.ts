/** A file's identity: an absolute path with forward slashes (the LSP layer maps URIs to it). */
export type FileId = string;

/** Half-open range of UTF-16 offsets (JS string indexes) into one file's text. */
export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** What the core may ask of the outside world. The only I/O the core ever does. */
export interface Host {
  /** The file's text, or undefined when it does not exist. Throws HostError for unreadable/binary/huge files. */
  read(file: FileId): string | undefined;
  /** Sorted matches of a glob pattern (absolute), like glob(3) with flags 0. */
  glob(pattern: string): FileId[];
  /**
   * The file a path really is, symbolic links resolved (sites-enabled/app → sites-available/app);
   * the path itself when it is no link or does not exist. Optional: hosts without links omit it.
   */
  realpath?(file: FileId): FileId;
}

/** Raised by a Host for a file that exists but cannot be analysed; the message is user-facing. */
export class HostError extends Error {}

/** A place in another file (or this one) that a finding relates to. */
export interface Related {
  file: FileId;
  span: Span;
  note: string;
}

/** One text replacement. `span` is in the file's current text. */
export interface TextEdit {
  file: FileId;
  span: Span;
  text: string;
}

export interface Fix {
  title: string;
  /** 'safe' fixes join fix-all and the CLI's --fix; 'suggestion' ones are offered one by one. */
  kind: 'safe' | 'suggestion';
  edits: TextEdit[];
}

/** A diagnostic in core terms: offsets, not lines. */
export interface Finding {
  file: FileId;
  span: Span;
  severity: Severity;
  /** Stable id: 'nginx-syntax' and friends for parser/directive errors, the rule id otherwise. */
  code: string;
  message: string;
  related?: Related[];
  fixes?: Fix[];
  /**
   * Offset where nginx reports this error: the line nginx prints is this offset's line. Set on
   * every nginx-level finding nginx reports with a line (the `;`, `{` or `}` it had just read, the
   * offending character, the end of the file); undefined for those nginx reports with no line
   * (unknown variables) and for the product's own findings. For nginx-level findings `span`
   * starts on this line too (see validate.ts, atNginxLine).
   */
  nginxAt?: number;
  /**
   * Ordering only, for errors nginx finds once it has read further than their own statement (a
   * duplicate location when the http block ends, unknown variables after the whole
   * configuration): the point nginx has reached then. They come after every error met before
   * that point, whatever their own line. AFTER_ALL as offset: after every file is read.
   */
  after?: { file: FileId; offset: number };
}

/** `after.offset` of the checks nginx runs once the whole configuration is read (past any file's end). */
export const AFTER_ALL = Number.MAX_SAFE_INTEGER;
