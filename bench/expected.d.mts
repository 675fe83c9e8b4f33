/** Types of expected.mjs, for the tests that share it (tests/helpers/corpus-renewal.ts). */
export interface ExpectedFinding {
  code: string;
  file: string;
  line: number | null;
}
export function applyRenewalModel<T extends ExpectedFinding>(root: string, today: string, expected: readonly T[]): Promise<T[]>;
export function applyContinuityModel<T extends ExpectedFinding>(root: string, expected: readonly T[]): (T | ExpectedFinding)[];
export function applySpecModels<T extends ExpectedFinding>(root: string, today: string, expected: readonly T[]): Promise<(T | ExpectedFinding)[]>;
