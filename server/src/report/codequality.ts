// `check --format codequality`: GitLab's code quality report (a JSON array of issues in the
// Code Climate subset GitLab reads), shown in the merge request's widget and diff. The path is
// relative to the working directory (the checkout); the fingerprint names the finding by file,
// code, message and how many identical ones come before it, so it survives lines moving.
import { createHash } from 'node:crypto';
import type { Severity } from '../core/types';
import type { ReportInput } from './types';
import { shownPath } from './xml';

const SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = { error: 'major', warning: 'minor', info: 'info', hint: 'info' };

export function codeQuality(input: ReportInput): object[] {
  const seen = new Map<string, number>();
  return input.findings.map((f) => {
    const path = shownPath(input.cwd, f.file);
    const key = `${path}\0${f.code}\0${f.message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      type: 'issue',
      check_name: f.code,
      description: f.message,
      categories: ['Bug Risk'],
      severity: SEVERITY[f.severity],
      fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex'),
      location: { path, lines: { begin: f.line, end: f.endLine } },
    };
  });
}
