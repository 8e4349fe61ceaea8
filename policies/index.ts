/**
 * The policy registry. A rule is one module in this folder exporting a Policy; list it here.
 * The engine (generator/validate/engine.ts) runs whatever this list holds.
 */
import type { Policy } from '../generator/validate/policy.js';
import { argocdKeepIstioSystem } from './argocd-keep-istio-system.js';
import { argocdSyncOrder } from './argocd-sync-order.js';
import { asmLabelReconciliation } from './asm-label-reconciliation.js';
import { asmMigrationState } from './asm-migration-state.js';
import { clusterNameUnique } from './cluster-name-unique.js';
import { crossNetworkGateway } from './cross-network-gateway.js';
import { eastWestGatewayInternal } from './east-west-gateway-internal.js';
import { eastWestGatewayPorts } from './east-west-gateway-ports.js';
import { exposeIstiod } from './expose-istiod.js';
import { helmDuplicateObject } from './helm-duplicate-object.js';
import { helmGatewayNetwork } from './helm-gateway-network.js';
import { helmIstiodValues } from './helm-istiod-values.js';
import { helmValuesMatch } from './helm-values-match.js';
import { istioVersionSkew } from './istio-version-skew.js';
import { meshIdMatch } from './mesh-id-match.js';
import { meshNetworksComplete } from './mesh-networks-complete.js';
import { networkMatch } from './network-match.js';
import { noPlaintextSecrets } from './no-plaintext-secrets.js';
import { remotePilotAddress } from './remote-pilot-address.js';
import { remoteSecretPresent } from './remote-secret-present.js';
import { singleIstioOperator } from './single-istiooperator.js';
import { tcmClustersDisjoint } from './tcm-clusters-disjoint.js';
import { tcmVersionMatch } from './tcm-version-match.js';
import { trustDomainMatch } from './trust-domain-match.js';
import { vmCrossNetworkGateway } from './vm-cross-network-gateway.js';
import { vmIstiodExposed } from './vm-istiod-exposed.js';
import { vmServiceAccount } from './vm-service-account.js';

export const policies: readonly Policy[] = [
  // The contract's rules.
  singleIstioOperator,
  meshIdMatch,
  networkMatch,
  meshNetworksComplete,
  remotePilotAddress,
  // Cross-cluster rules a mesh operator wants next.
  clusterNameUnique,
  trustDomainMatch,
  istioVersionSkew,
  eastWestGatewayPorts,
  eastWestGatewayInternal,
  exposeIstiod,
  crossNetworkGateway,
  remoteSecretPresent,
  noPlaintextSecrets,
  // Delivery: the Argo CD Applications agree with the IstioOperators and sync in the order the mesh needs.
  helmValuesMatch,
  argocdSyncOrder,
  argocdKeepIstioSystem,
  // With --helm: what the charts render (generator/validate/helm-template.ts).
  helmGatewayNetwork,
  helmIstiodValues,
  helmDuplicateObject,
  // Migrations (seeds 000-002).
  asmMigrationState,
  asmLabelReconciliation,
  tcmVersionMatch,
  tcmClustersDisjoint,
  // Virtual machines (seed 004).
  vmServiceAccount,
  vmIstiodExposed,
  vmCrossNetworkGateway,
];
