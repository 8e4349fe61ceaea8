/**
 * `meshops check --base GITREF`: what a single revision cannot show, such as ASM's forward-only
 * migration (seed 002). The environments at the base revision are read from Git itself
 * (generator/load/revision.ts; parsed, not checked against today's model, which they may predate),
 * never from the working tree, and handed to every policy that declares a revision hook
 * (Policy.revisions) with the current model. The engine knows no rule: the policies are passed in.
 */
import type { FieldPath, Finding, Severity } from '../findings.js';
import type { LoadedEnvironment } from '../load/environments.js';
import { Revision } from '../load/revision.js';
import type { Policy } from '../validate/policy.js';

export { BaseRevisionError, resolveBase } from '../load/revision.js';

/**
 * Findings of every policy's revision hook, at the line of the field in the current mesh file, for
 * the environments that changed illegally since `commit`. A new environment has nothing to
 * compare with; one the base cannot read is a warning under each rule that wanted to compare.
 */
export async function checkTransitions(
  repoRoot: string,
  baseName: string,
  commit: string,
  environments: readonly LoadedEnvironment[],
  policies: readonly Policy[],
): Promise<Finding[]> {
  const base = new Revision(repoRoot, commit);
  const findings: Finding[] = [];
  try {
    for (const env of environments) {
      const comparing = policies.flatMap((policy) => {
        const severity = env.model.spec.policies[policy.id] ?? policy.severity;
        const subject = policy.revisions?.subject(env.model);
        return policy.revisions && subject && severity !== 'off' ? [{ policy, hook: policy.revisions, severity, subject }] : [];
      });
      if (comparing.length === 0) continue;
      const before = await base.read(env.name);
      const finding = (rule: string, field: FieldPath, message: string, level: Severity): Finding => {
        const pos = env.source.locate(field);
        return { rule, severity: level, message, file: env.file, line: pos?.line, column: pos?.column, env: env.name };
      };
      for (const { policy, hook, severity, subject } of comparing) {
        if (before.kind === 'unreadable') {
          findings.push(finding(policy.id, subject, `cannot read this environment at ${baseName} (${before.findings[0]!.message}); ${hook.notChecked}`, 'warning'));
        } else if (before.kind === 'read') {
          for (const problem of hook.compare(before.source.data, env.model, baseName)) findings.push(finding(policy.id, problem.path, problem.message, severity));
        }
      }
    }
  } finally {
    base.dispose();
  }
  return findings;
}
