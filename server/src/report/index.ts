// The report formats of `nginx-ws check` beyond text, json and github.
import { sarifLog } from './sarif';
import type { ReportInput } from './types';

export type { Place, ReportFinding, ReportInput } from './types';

export const REPORT_FORMATS = ['sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (v: string): v is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(v);

export function renderReport(_format: ReportFormat, input: ReportInput): string {
  return JSON.stringify(sarifLog(input), null, 2);
}
