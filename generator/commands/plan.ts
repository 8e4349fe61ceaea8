/**
 * `meshops plan [--base GITREF]`: what a change does. Every environment is rendered twice in
 * memory, as it is at GITREF (read from Git, never checked out) and as it is in the working tree,
 * and the two renders are compared object by object, with each change's consequence for the
 * running mesh from the table of consequences (generator/plan/consequences.ts).
 */
import type { Finding } from '../findings.js';
import { discoverEnvironments, loadEnvironment, modelFromSource, type LoadedEnvironment } from '../load/environments.js';
import { BaseRevisionError, resolveBase, Revision } from '../load/revision.js';
import type { MeshEnvironment } from '../model/mesh-environment.js';
import { consequences, type Consequence } from '../plan/consequences.js';
import { diffRendered, type ObjectChange } from '../plan/object-diff.js';
import { renderEnvironment } from '../render/environment.js';
import { usageError, type UsageError } from './usage.js';

export interface PlanOptions {
  /** The repository root (holds environments/, inside a git work tree). */
  cwd: string;
  /** Default HEAD. */
  base?: string;
}

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

export type PlanResult = UsageError | { kind: 'planned'; plan: Plan };

/** A usage error when `base` is not a revision of the repository at `cwd`. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const ref = options.base ?? 'HEAD';
  let commit: string;
  try {
    commit = resolveBase(options.cwd, ref);
  } catch (e) {
    if (!(e instanceof BaseRevisionError)) throw e;
    return usageError(e.message);
  }
  const revision = new Revision(options.cwd, commit);
  try {
    const names = [...new Set([...revision.environments(), ...discoverEnvironments(options.cwd)])].sort();
    const environments: EnvironmentPlan[] = [];
    for (const env of names) {
      const before = await atBase(revision, env);
      const after = await inWorkingTree(options.cwd, env);
      environments.push(planEnvironment(env, before, after, ref));
    }
    return { kind: 'planned', plan: { base: { ref, commit }, environments } };
  } finally {
    revision.dispose();
  }
}

type Side = { kind: 'absent' } | { kind: 'loaded'; env: Pick<LoadedEnvironment, 'model' | 'file'> } | { kind: 'invalid'; findings: Finding[] };

async function atBase(revision: Revision, env: string): Promise<Side> {
  const read = await revision.read(env);
  if (read.kind === 'absent') return { kind: 'absent' };
  if (read.kind === 'unreadable') return { kind: 'invalid', findings: read.findings };
  const loaded = modelFromSource(read.source, env);
  return loaded.ok ? { kind: 'loaded', env: loaded.env } : { kind: 'invalid', findings: loaded.findings };
}

async function inWorkingTree(cwd: string, env: string): Promise<Side> {
  if (!discoverEnvironments(cwd).includes(env)) return { kind: 'absent' };
  const loaded = await loadEnvironment(cwd, env);
  return loaded.ok ? { kind: 'loaded', env: loaded.env } : { kind: 'invalid', findings: loaded.findings };
}

function planEnvironment(env: string, before: Side, after: Side, ref: string): EnvironmentPlan {
  if (before.kind === 'invalid' || after.kind === 'invalid') {
    const problems = [...(before.kind === 'invalid' ? before.findings.map((f) => ({ ...f, message: `at ${ref}: ${f.message}` })) : []), ...(after.kind === 'invalid' ? after.findings : [])];
    return { env, status: 'not planned', consequences: [], changes: [], problems: problems.map((f) => ({ ...f, env })) };
  }
  const model = (side: Side): MeshEnvironment | undefined => (side.kind === 'loaded' ? side.env.model : undefined);
  const rendered = (side: Side) => (side.kind === 'loaded' ? renderEnvironment(side.env.model, side.env.file) : undefined);
  const changes = diffRendered(rendered(before), rendered(after));
  const status: EnvironmentStatus = before.kind === 'absent' ? 'added' : after.kind === 'absent' ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
  // A change of the mesh file that renders to the same objects (a comment, a default spelled out) has no consequence.
  return { env, status, consequences: status === 'unchanged' ? [] : consequences(model(before), model(after)), changes, problems: [] };
}
