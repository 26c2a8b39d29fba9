// The report formats of `nginx-ws check` beyond text, json and github.
import { codeQuality } from './codequality';
import { sarifLog } from './sarif';
import { checkstyleXml, junitXml } from './xml';
import type { ReportInput } from './types';

export type { Place, ReportFinding, ReportInput } from './types';

export const REPORT_FORMATS = ['sarif', 'checkstyle', 'junit', 'codequality'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (v: string): v is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(v);

export function renderReport(format: ReportFormat, input: ReportInput): string {
  if (format === 'sarif') return JSON.stringify(sarifLog(input), null, 2);
  if (format === 'codequality') return JSON.stringify(codeQuality(input), null, 2);
  return format === 'checkstyle' ? checkstyleXml(input) : junitXml(input);
}
