/**
 * Every IstioOperator of an environment (a cluster may hold several in a hand-written tree), with
 * the Istio minor version whose rules apply to it: the one its spec.tag names, where meshops knows
 * it (generator/schemas/istio-versions.ts). The rules that repeat istioctl's own semantic checks read these.
 */
import { chooseMinor } from '../schemas/istio-versions.js';
import { isIstioOperator } from './cluster-facts.js';
import { asObject } from '../json.js';
import type { EnvironmentTree, JsonObject, ManifestDoc } from './manifests.js';

export interface IstioOperatorDoc {
  doc: ManifestDoc;
  spec: JsonObject;
  /** The known minor version spec.tag names ("1.18"), or the newest for a newer or unstated one; undefined when older than all. */
  minor: string | undefined;
}

/** Read once per environment: several rules ask. */
const byEnvironment = new WeakMap<EnvironmentTree, IstioOperatorDoc[]>();

export function istioOperatorDocs(env: EnvironmentTree): IstioOperatorDoc[] {
  let docs = byEnvironment.get(env);
  if (!docs) {
    docs = readIstioOperators(env);
    byEnvironment.set(env, docs);
  }
  return docs;
}

function readIstioOperators(env: EnvironmentTree): IstioOperatorDoc[] {
  return env.clusters.flatMap((cluster) =>
    cluster.docs.filter(isIstioOperator).map((doc) => {
      const spec = asObject(doc.object.spec) ?? {};
      const choice = chooseMinor(spec.tag);
      return { doc, spec, minor: choice.relation === 'older' ? undefined : choice.minor };
    }),
  );
}
