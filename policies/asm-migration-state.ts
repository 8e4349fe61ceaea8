import { ASM_MIGRATION_KIND, ASM_MIGRATION_NAME, ASM_STATES, asmStateIndex, ISTIO_EGRESS_GATEWAY_HOST, type AsmState } from '../generator/istio/asm.js';
import { asArray, asObject, get, scalarText } from '../generator/json.js';
import type { ManifestDoc } from '../generator/validate/manifests.js';
import type { Policy } from '../generator/validate/policy.js';
import type { MeshEnvironment } from '../generator/model/mesh-environment.js';

export interface AsmPoint {
  desiredState: string;
  retryCounter: number;
}

export interface TransitionProblem {
  field: 'desiredState' | 'retryCounter';
  message: string;
}

/**
 * What is wrong with moving an ASM migration from `before` (the base) to `after` (the change).
 * Allowed moves from (state, n): stay; retry as (state, n + 1); advance as (next state, n). The
 * counter is never reset: ASM compares spec.retryCounter with the status.retryCounter it last
 * reconciled, so lowering it is not a retry, and a state change is itself what triggers ASM's checks.
 */
export function transitionProblems(before: AsmPoint, after: { desiredState: AsmState; retryCounter: number }, baseName: string): TransitionProblem[] {
  const problems: TransitionProblem[] = [];
  const order = ASM_STATES.join(' -> ');
  const [from, to] = [asmStateIndex(before.desiredState), asmStateIndex(after.desiredState)];
  const knownState = from >= 0;
  const knownCounter = Number.isInteger(before.retryCounter);
  if (knownState && to < from) {
    problems.push({
      field: 'desiredState',
      message: `desiredState moves backwards from ${before.desiredState} (at ${baseName}) to ${after.desiredState}: ASM's migration only moves forward (${order})`,
    });
  } else if (knownState && to > from + 1) {
    problems.push({
      field: 'desiredState',
      message:
        `desiredState jumps from ${before.desiredState} (at ${baseName}) to ${after.desiredState}, skipping ${ASM_STATES.slice(from + 1, to).join(' and ')}: ` +
        'move one state at a time, each once ASM reports the previous one reached',
    });
  }
  if (!knownCounter) return problems;
  const [n, m] = [before.retryCounter, after.retryCounter];
  if (m < n) {
    problems.push({ field: 'retryCounter', message: `retryCounter goes down from ${n} (at ${baseName}) to ${m}: it never goes down; a retry adds 1` });
  } else if (knownState && to === from && m > n + 1) {
    problems.push({ field: 'retryCounter', message: `retryCounter goes from ${n} (at ${baseName}) to ${m} in state ${after.desiredState}: a retry adds exactly 1 (set ${n + 1})` });
  } else if (knownState && to === from + 1 && m !== n) {
    problems.push({
      field: 'retryCounter',
      message: `retryCounter changes from ${n} (at ${baseName}) to ${m} while desiredState moves to ${after.desiredState}: moving to the next state keeps retryCounter (${n}); a retry is its own change, in the same state`,
    });
  }
  return problems;
}

/** spec.migration.asm of a parsed mesh file, read leniently: the base may predate today's model. */
function asmPointOf(data: unknown): AsmPoint | undefined {
  const asm = asObject(get(data, ['spec', 'migration', 'asm']));
  if (!asm) return undefined;
  const state = asm.desiredState ?? 'Init';
  const counter = asm.retryCounter ?? 0;
  return { desiredState: String(state), retryCounter: typeof counter === 'number' ? counter : Number.NaN };
}

const ASM_PATH = ['spec', 'migration', 'asm'];

export function isAsmMigration(doc: ManifestDoc): boolean {
  return doc.kind === ASM_MIGRATION_KIND && doc.apiVersion.startsWith('istio.alibabacloud.com/');
}

/** Routes of a VirtualService that still send a share of traffic to Istio's egress gateway, with the path of their weight. */
function routesToIstioEgress(doc: ManifestDoc): { path: (string | number)[]; weight: number }[] {
  return asArray(get(doc.object, ['spec', 'http'])).flatMap((http, i) => {
    const routes = asArray(asObject(http)?.route);
    return routes.flatMap((route, j) => {
      if (get(route, ['destination', 'host']) !== ISTIO_EGRESS_GATEWAY_HOST) return [];
      // A single destination without a weight takes all traffic.
      const weight = Number(scalarText(asObject(route)?.weight) ?? (routes.length === 1 ? 100 : 0));
      return weight > 0 ? [{ path: ['spec', 'http', i, 'route', j, 'weight'], weight }] : [];
    });
  });
}

/**
 * Seed 002: ASMMigrateFromIstio moves Init -> SetupIstioForMigrate -> Migrating -> Finished. Over a
 * tree this rule checks the object itself and Finished's one condition a tree shows; `meshops check
 * --base` reports the transitions between two revisions under the same id.
 */
export const asmMigrationState: Policy<MeshEnvironment> = {
  id: 'asm-migration-state',
  description:
    'ASMMigrateFromIstio is named default and its desiredState is Init, SetupIstioForMigrate, Migrating or Finished; Finished only once no VirtualService routes traffic to Istio\'s egress gateway; with `check --base`, desiredState moves forward one state at a time and retryCounter never goes down.',
  severity: 'error',
  docs: {
    rationale:
      'ASM reconciles one ASMMigrateFromIstio, named default, whose desiredState only moves forward one state at a time; a failed step is retried by adding 1 to retryCounter in the same state. Finished uninstalls nothing by itself: it declares that Istio\'s gateways and sidecars carry no traffic any more, so a VirtualService still sending mesh traffic to istio-egressgateway contradicts it. Between two Git revisions (`meshops check --base`), moving backwards, skipping a state, changing retryCounter while changing state, raising it by more than 1 or lowering it are refused.',
    bad: `# asm/asmmigratefromistio.yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMMigrateFromIstio
metadata: {name: default}
spec: {desiredState: Finished, retryCounter: 0}
# clusters/c1/virtualservice.yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: egress, namespace: istio-system}
spec:
  http:
  - route:
    - {destination: {host: istio-egressgateway.istio-system.svc.cluster.local}, weight: 99}
    - {destination: {host: asm-egressgateway.istio-system.svc.cluster.local}, weight: 1}`,
    good: `# asm/asmmigratefromistio.yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMMigrateFromIstio
metadata: {name: default}
spec: {desiredState: Finished, retryCounter: 0}
# clusters/c1/virtualservice.yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: egress, namespace: istio-system}
spec:
  http:
  - route:
    - {destination: {host: istio-egressgateway.istio-system.svc.cluster.local}, weight: 0}
    - {destination: {host: asm-egressgateway.istio-system.svc.cluster.local}, weight: 100}`,
  },
  // A new environment, or one that gains its migration block, has nothing to compare with.
  revisions: {
    subject: (env) => (env.spec.migration?.asm ? ASM_PATH : undefined),
    notChecked: 'its migration transitions were not checked',
    compare(base, env, baseName) {
      const before = asmPointOf(base);
      const after = env.spec.migration?.asm;
      if (!before || !after) return [];
      return transitionProblems(before, after, baseName).map((p) => ({ path: [...ASM_PATH, p.field], message: p.message }));
    },
  },
  check({ mesh, clusters, report }) {
    const migrations = mesh.docs.filter(isAsmMigration);
    migrations.slice(1).forEach((doc) =>
      report({ doc, path: ['metadata', 'name'], message: `${migrations.length} ${ASM_MIGRATION_KIND} objects; ASM reconciles exactly one, named ${ASM_MIGRATION_NAME}` }),
    );
    for (const doc of migrations) {
      if (doc.name !== ASM_MIGRATION_NAME) {
        report({ doc, path: ['metadata', 'name'], message: `${ASM_MIGRATION_KIND} "${doc.name}": ASM only reconciles the one named ${ASM_MIGRATION_NAME}` });
      }
      const state = get(doc.object, ['spec', 'desiredState']);
      // A value outside the four states is the schema's finding (its enum); a missing one is this rule's.
      if (state === undefined || state === null) {
        report({ doc, path: ['spec'], message: `desiredState is missing; it is one of ${ASM_STATES.join(' -> ')}` });
      } else if (state === 'Finished') {
        for (const facts of clusters) {
          for (const vs of facts.cluster.docs.filter((d) => d.kind === 'VirtualService')) {
            for (const route of routesToIstioEgress(vs)) {
              report({
                doc: vs,
                path: route.path,
                message: `VirtualService "${vs.name}" of cluster "${facts.name}" still sends ${route.weight}% to ${ISTIO_EGRESS_GATEWAY_HOST} while ${ASM_MIGRATION_KIND} is Finished: shift it all to ASM's egress gateway first`,
              });
            }
          }
        }
      }
    }
  },
};
