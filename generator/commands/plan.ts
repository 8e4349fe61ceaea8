/**
 * `meshops plan [--base GITREF]`: what a change does. Every environment is rendered twice in
 * memory, as it is at GITREF (read from Git, never checked out) and as it is in the working tree,
 * and the two renders are compared object by object, with each change's consequence for the
 * running mesh from the table of consequences (generator/plan/consequences.ts).
 */
import { discoverEnvironments, loadEnvironment, modelFromSource } from '../load/environments.js';
import { BaseRevisionError, resolveBase, Revision } from '../load/revision.js';
import { planEnvironment, type EnvironmentPlan, type Plan, type Side } from '../plan/environment-plan.js';
import { GENERATOR_RULES } from './rules.js';
import { usageError, type UsageError } from './usage.js';

export type { EnvironmentPlan, Plan };

export interface PlanOptions {
  /** The repository root (holds environments/, inside a git work tree). */
  cwd: string;
  /** Default HEAD. */
  base?: string;
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
    const inWorkingTree = new Set(discoverEnvironments(options.cwd).names);
    const names = [...new Set([...revision.environments(), ...inWorkingTree])].sort();
    const environments: EnvironmentPlan[] = [];
    for (const env of names) {
      const before = await atBase(revision, env);
      const after: Side = inWorkingTree.has(env) ? await loaded(options.cwd, env) : { kind: 'absent' };
      environments.push(planEnvironment(env, before, after, ref));
    }
    return { kind: 'planned', plan: { base: { ref, commit }, environments } };
  } finally {
    revision.dispose();
  }
}

async function atBase(revision: Revision, env: string): Promise<Side> {
  const read = await revision.read(env);
  if (read.kind === 'absent') return { kind: 'absent' };
  if (read.kind === 'unreadable') return { kind: 'invalid', findings: read.findings };
  const result = modelFromSource(read.source, env, GENERATOR_RULES.input);
  return result.ok ? { kind: 'loaded', model: result.env.model, file: result.env.file } : { kind: 'invalid', findings: result.findings };
}

async function loaded(cwd: string, env: string): Promise<Side> {
  const result = await loadEnvironment(cwd, env, GENERATOR_RULES.input);
  return result.ok ? { kind: 'loaded', model: result.env.model, file: result.env.file } : { kind: 'invalid', findings: result.findings };
}
