/**
 * The validators `npm run build` precompiles (scripts/compile-schemas.ts): each index module under
 * dist/schemas/ maps a key to a lazily required validator module, so a run loads only the schemas
 * it meets. Required once per index, on first use.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import type { CompiledValidator } from './issues.js';

export type CompiledIndex = 'validators.cjs' | 'istio-operator.cjs' | 'istio-crds.cjs';

const loaded = new Map<CompiledIndex, Record<string, CompiledValidator>>();

/** The validators of one index module, by key. */
export function compiledValidators(index: CompiledIndex): Record<string, CompiledValidator> {
  let validators = loaded.get(index);
  if (!validators) {
    const file = path.join(packageRoot(), 'dist', 'schemas', index);
    if (!existsSync(file)) throw new Error(`compiled schemas not found at ${file}: run \`npm run build\``);
    validators = createRequire(import.meta.url)(file) as Record<string, CompiledValidator>;
    loaded.set(index, validators);
  }
  return validators;
}
