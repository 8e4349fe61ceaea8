/**
 * A plan as text (a terminal), markdown (a pull-request summary: GitHub renders its tables and
 * ```diff blocks) or JSON (one object, for scripts).
 */
import type { EnvironmentPlan, Plan } from './environment-plan.js';
import { markdownTable } from '../markdown.js';
import type { FieldChange, ObjectChange } from './object-diff.js';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
/** Values longer than this are cut in text and markdown (JSON carries them whole). */
const MAX_VALUE = 120;

function value(v: unknown): string {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 3)}...` : text;
}

/** One field change as diff lines: "- path: old" / "+ path: new", or a text's changed lines. */
function fieldLines(f: FieldChange): string[] {
  if (f.lines) return [`@ ${f.path || '(text)'}`, ...f.lines];
  return [...('before' in f ? [`- ${f.path}: ${value(f.before)}`] : []), ...('after' in f ? [`+ ${f.path}: ${value(f.after)}`] : [])];
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function planSummary(plan: Plan): string {
  const changed = plan.environments.filter((e) => e.status !== 'unchanged');
  const changes = plan.environments.flatMap((e) => e.changes);
  const by = (kind: ObjectChange['change']) => changes.filter((c) => c.change === kind).length;
  return (
    `${count(changed.length, 'environment')} of ${plan.environments.length} changed against ${plan.base.ref}: ` +
    `${by('added')} added, ${by('changed')} changed, ${by('removed')} removed objects; ` +
    `${count(plan.environments.reduce((n, e) => n + e.consequences.length, 0), 'consequence')} for the running mesh`
  );
}

function groupByScope(changes: readonly ObjectChange[]): Map<string, ObjectChange[]> {
  const groups = new Map<string, ObjectChange[]>();
  for (const c of changes) groups.set(c.scope, [...(groups.get(c.scope) ?? []), c]);
  return groups;
}

function textEnvironment(e: EnvironmentPlan): string[] {
  const lines = [`environment ${e.env}: ${e.status}`];
  for (const p of e.problems) lines.push(`  ${[p.file, p.line, p.column].filter((x) => x !== undefined).join(':')}: ${p.severity} ${p.rule}: ${p.message}`);
  if (e.consequences.length) {
    lines.push('  consequences for the running mesh:');
    for (const c of e.consequences) lines.push(`  ! ${c.field} (${c.change}): ${c.consequence} [${c.clusters.join(', ')}]`);
  }
  for (const [scope, changes] of groupByScope(e.changes)) {
    lines.push(`  ${scope}`);
    for (const c of changes) {
      lines.push(`    ${SIGN[c.change]} ${c.object} (${c.file})`);
      for (const f of c.fields) lines.push(...fieldLines(f).map((l) => `        ${l}`));
    }
  }
  return lines;
}

function markdownEnvironment(e: EnvironmentPlan): string[] {
  const out = [`#### ${e.env}: ${e.status}`, ''];
  if (e.problems.length) {
    out.push('Not planned: the environment does not load.', '', ...e.problems.map((p) => `- \`${[p.file, p.line].filter((x) => x !== undefined).join(':')}\` ${p.rule}: ${p.message}`), '');
  }
  if (e.consequences.length) {
    out.push('**What it does to the running mesh**', '', markdownTable(['field', 'change', 'consequence', 'clusters'], e.consequences.map((c) => [`\`${c.field}\``, c.change, c.consequence, c.clusters.join(', ')])), '');
  }
  if (e.changes.length) {
    out.push(
      '**Objects**',
      '',
      markdownTable(
        ['where', 'object', 'change', 'file'],
        e.changes.map((c) => [c.scope, c.object, c.change, `\`${c.file}\``]),
      ),
      '',
    );
    const detailed = e.changes.filter((c) => c.fields.length > 0);
    if (detailed.length) {
      const body = detailed.flatMap((c) => [`# ${c.scope}: ${c.object} (${c.file})`, ...c.fields.flatMap(fieldLines)]);
      // A fence longer than any run of backticks in the body, so no value can close it.
      const fence = '`'.repeat(Math.max(3, ...body.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length + 1))));
      out.push('<details><summary>Field changes</summary>', '', `${fence}diff`, ...body, fence, '', '</details>', '');
    }
  }
  return out;
}

export function formatPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(plan)}\n`;
    case 'text': {
      const shown = plan.environments.filter((e) => e.status !== 'unchanged');
      const unchanged = plan.environments.filter((e) => e.status === 'unchanged').map((e) => e.env);
      const lines = [`meshops plan: the working tree against ${plan.base.ref} (${plan.base.commit.slice(0, 12)})`, ''];
      for (const e of shown) lines.push(...textEnvironment(e), '');
      if (unchanged.length) lines.push(`unchanged: ${unchanged.join(', ')}`);
      lines.push(planSummary(plan));
      return `${lines.join('\n')}\n`;
    }
    case 'markdown': {
      const shown = plan.environments.filter((e) => e.status !== 'unchanged');
      const unchanged = plan.environments.filter((e) => e.status === 'unchanged').map((e) => e.env);
      const lines = [`### Plan: the working tree against \`${plan.base.ref}\``, '', planSummary(plan), ''];
      for (const e of shown) lines.push(...markdownEnvironment(e));
      if (unchanged.length) lines.push(`Unchanged: ${unchanged.join(', ')}.`, '');
      return `${lines.join('\n')}`;
    }
  }
}
