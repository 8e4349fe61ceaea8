/**
 * One environment's plan from its two sides, the base and the working tree, each absent, loaded or
 * invalid: pure, so the command only reads Git and files.
 */
import type { Finding } from '../findings.js';
import type { MeshEnvironment } from '../model/mesh-environment.js';
import { renderEnvironment } from '../render/environment.js';
import { consequences, type Consequence } from './consequences.js';
import { diffRendered, type ObjectChange } from './object-diff.js';

export type EnvironmentStatus = 'added' | 'removed' | 'changed' | 'unchanged' | 'not planned';

export interface EnvironmentPlan {
  env: string;
  status: EnvironmentStatus;
  consequences: Consequence[];
  changes: ObjectChange[];
  /** Why the environment could not be planned: its input errors at the base or in the working tree. */
  problems: Finding[];
}

export interface Plan {
  base: { ref: string; commit: string };
  environments: EnvironmentPlan[];
}

/** An environment on one side of the comparison; `file` is the mesh file it was loaded from. */
export type Side = { kind: 'absent' } | { kind: 'loaded'; model: MeshEnvironment; file: string } | { kind: 'invalid'; findings: Finding[] };

export function planEnvironment(env: string, before: Side, after: Side, ref: string): EnvironmentPlan {
  if (before.kind === 'invalid' || after.kind === 'invalid') {
    const problems = [...(before.kind === 'invalid' ? before.findings.map((f) => ({ ...f, message: `at ${ref}: ${f.message}` })) : []), ...(after.kind === 'invalid' ? after.findings : [])];
    return { env, status: 'not planned', consequences: [], changes: [], problems: problems.map((f) => ({ ...f, env })) };
  }
  const model = (side: Side) => (side.kind === 'loaded' ? side.model : undefined);
  const rendered = (side: Side) => (side.kind === 'loaded' ? renderEnvironment(side.model, side.file) : undefined);
  const changes = diffRendered(rendered(before), rendered(after));
  const status: EnvironmentStatus = before.kind === 'absent' ? 'added' : after.kind === 'absent' ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
  // A change of the mesh file that renders to the same objects (a comment, a default spelled out) has no consequence.
  return { env, status, consequences: status === 'unchanged' ? [] : consequences(model(before), model(after)), changes, problems: [] };
}
