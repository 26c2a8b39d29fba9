// What the machine-readable reports (SARIF, Checkstyle, JUnit) are made from: the findings the
// CLI already placed on 1-based lines and columns (the same numbers `--format json` prints), plus
// the places a finding relates to and the edits of its fixes, placed the same way.
import type { Severity } from '../core/types';

/** A 1-based range in a file, as `--format json` prints it (endColumn: one past the last character). */
export interface Place {
  /** The path the file is reported under (absolute). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportFinding extends Place {
  severity: Severity;
  code: string;
  message: string;
  docs?: string;
  related: (Place & { message: string })[];
  fixes: { title: string; safe: boolean; edits: (Place & { text: string })[] }[];
}

export interface ReportInput {
  /** The working directory: file paths are written relative to it where they lie inside it. */
  cwd: string;
  /** Every file checked, in report order (clean ones too), by its reported path. */
  files: string[];
  /** The findings in report order (the order of `--format json`). */
  findings: ReportFinding[];
}
