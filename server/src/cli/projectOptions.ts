// The CLI's use of the project file: the options it holds become the defaults of a check, and
// the command-line flags win over them (a --rule over the file's level of the same code; an
// --extra-directive adds to the file's list).
import * as nodePath from 'node:path';
import type { AnalyzeOptions } from '../core/index';
import type { Severity } from '../core/types';
import { findProjectFile } from '../host/projectFile';

export interface CliFlags {
  nginxVersion?: string;
  maxFiles?: number;
  rules: Record<string, Severity | 'off'>;
  extraDirectives: string[];
  frontedBy?: string;
}

/**
 * The options of a check from the project file found from `start` upwards, then the flags. The
 * messages name the file (relative to the working directory); `failed`: the file has an error.
 */
export function projectOptions(start: string, base: AnalyzeOptions, flags: CliFlags, defaultMaxFiles: number): { options: AnalyzeOptions; maxFiles: number; messages: string[]; failed: boolean } {
  const found = findProjectFile(start);
  const v = found?.values ?? {};
  const rel = found ? nodePath.relative(process.cwd(), found.file) : '';
  const shown = !found ? '' : rel && !rel.startsWith('..') ? rel : found.file;
  const messages = (found?.problems ?? []).map((p) => `nginx-ws: ${shown}: ${p.severity === 'error' ? 'error' : 'warning'}: ${p.message}`);
  const options: AnalyzeOptions = { ...base };
  const version = flags.nginxVersion ?? (v.nginxVersion as string | undefined);
  if (version) options.nginxVersion = version;
  options.rules = { ...(v.rules as AnalyzeOptions['rules']), ...flags.rules };
  options.extraDirectives = [...new Set([...((v.extraDirectives as string[] | undefined) ?? []), ...flags.extraDirectives])];
  if (v.endpointPatterns) options.endpointPatterns = v.endpointPatterns as string[];
  if (v.readTimeout) options.readTimeout = v.readTimeout as string;
  const frontedBy = flags.frontedBy ?? (typeof v.frontedBy === 'string' ? v.frontedBy : undefined);
  if (frontedBy && frontedBy !== 'none') options.frontedBy = frontedBy;
  if (v.connectionStyle) options.connectionStyle = v.connectionStyle as AnalyzeOptions['connectionStyle'];
  const maxFiles = flags.maxFiles ?? (v.maxFiles as number | undefined) ?? defaultMaxFiles;
  return { options, maxFiles, messages, failed: !!found?.problems.some((p) => p.severity === 'error') };
}
