import { ASM_MIGRATION_KIND } from '../generator/istio/asm.js';
import { get } from '../generator/json.js';
import { listNames } from '../generator/validate/wording.js';
import type { Policy } from '../generator/validate/policy.js';
import { isAsmMigration } from './asm-migration-state.js';

const FIELD = ['spec', 'advancedOptions', 'disableIstioSystemLabelReconciliation'];

/** Seed 002: with an Istio east-west gateway, ASM must not force `istio-injection: disabled` on istio-system. */
export const asmLabelReconciliation: Policy = {
  id: 'asm-label-reconciliation',
  description: 'ASMMigrateFromIstio sets advancedOptions.disableIstioSystemLabelReconciliation: true when any cluster has an east-west gateway.',
  severity: 'error',
  docs: {
    rationale:
      "ASM labels istio-system `istio-injection: disabled` by default. An Istio east-west gateway's pods get their image from the injection webhook, so with that label they cannot be (re)created and cross-network and remote traffic stops. Seed 002: when a cluster being migrated has an east-west gateway, set disableIstioSystemLabelReconciliation to true (and remove the label ASM already set).",
    bad: `# asm/asmmigratefromistio.yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMMigrateFromIstio
metadata: {name: default}
spec: {desiredState: Migrating, advancedOptions: {disableIstioSystemLabelReconciliation: false}}
# clusters/c1/istio-operator.yaml: a cluster being migrated, with an east-west gateway
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true}]}}`,
    good: `# asm/asmmigratefromistio.yaml
apiVersion: istio.alibabacloud.com/v1beta1
kind: ASMMigrateFromIstio
metadata: {name: default}
spec: {desiredState: Migrating, advancedOptions: {disableIstioSystemLabelReconciliation: true}}
# clusters/c1/istio-operator.yaml: a cluster being migrated, with an east-west gateway
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {components: {ingressGateways: [{name: istio-eastwestgateway, enabled: true}]}}`,
  },
  check({ mesh, clusters, report }) {
    const withEastWest = clusters.filter((c) => c.eastWestGateway !== undefined).map((c) => c.name);
    if (withEastWest.length === 0) return;
    for (const doc of mesh.docs.filter(isAsmMigration)) {
      if (get(doc.object, FIELD) === true) continue;
      report({
        doc,
        path: FIELD,
        message: `${ASM_MIGRATION_KIND} must set advancedOptions.disableIstioSystemLabelReconciliation: true: ${listNames(withEastWest)} ${withEastWest.length === 1 ? 'has' : 'have'} an east-west gateway, whose pods need injection in istio-system`,
      });
    }
  },
};
