import type { ValidateFunction } from "ajv";

/**
 * Validators compiled ahead of time, by `$id`. This file is what runs from source (tests,
 * type-checking): nothing precompiled, so validator.ts compiles with ajv. The bundles
 * built by scripts/build.mjs replace it with ajv's standalone code for every schema.
 */
export const precompiled: Record<string, ValidateFunction> | null = null;
