// The rule registry: an explicit, sorted list (bundler-friendly; the engine knows no rule by name).
import type { Rule } from './types';

export const RULES: readonly Rule[] = [];
