/**
 * The rule registry. A rule is one module in this folder; list it here. Input rules check a
 * MeshEnvironment (the loader runs the list it is given: generator/model/input-rule.ts); policies
 * check rendered trees (the engine runs the list it is given: generator/validate/engine.ts).
 * README's rule tables, policies/README.md and the SARIF rule metadata are generated from here.
 */
import type { InputRule } from '../generator/model/input-rule.js';
import type { Policy } from '../generator/validate/policy.js';
import { argocdKeepIstioSystem } from './argocd-keep-istio-system.js';
import { argocdSyncOrder } from './argocd-sync-order.js';
import { inputArgocdApplicationName } from './input-argocd-application-name.js';
import { inputArgocdApplicationSet } from './input-argocd-application-set.js';
import { inputArgocdDestinations } from './input-argocd-destinations.js';
import { inputAsmDestination } from './input-asm-destination.js';
import { inputAsmEgress } from './input-asm-egress.js';
import { inputAsmFinished } from './input-asm-finished.js';
import { inputClusterNameUnique } from './input-cluster-name-unique.js';
import { inputEastWestGateway } from './input-east-west-gateway.js';
import { inputHelmCharts } from './input-helm-charts.js';
import { inputIstioOverlays } from './input-istio-overlays.js';
import { inputIstioVersion } from './input-istio-version.js';
import { inputLoadBalancerFields } from './input-load-balancer-fields.js';
import { inputPodSubnetOverlap } from './input-pod-subnet-overlap.js';
import { inputPrimaryPresent } from './input-primary-present.js';
import { inputRemoteControlPlane } from './input-remote-control-plane.js';
import { inputRemoteSecretKey } from './input-remote-secret-key.js';
import { inputRootCa } from './input-root-ca.js';
import { inputRoleFields } from './input-role-fields.js';
import { inputVmCluster } from './input-vm-cluster.js';
import { inputVmIstiodIp } from './input-vm-istiod-ip.js';
import { inputVmName } from './input-vm-name.js';
import { inputVmNamespace } from './input-vm-namespace.js';
import { asmLabelReconciliation } from './asm-label-reconciliation.js';
import { asmMigrationState } from './asm-migration-state.js';
import { clusterNameUnique } from './cluster-name-unique.js';
import { configOnRemote } from './config-on-remote.js';
import { crossNetworkGateway } from './cross-network-gateway.js';
import { eastWestGatewayInternal } from './east-west-gateway-internal.js';
import { eastWestGatewayPorts } from './east-west-gateway-ports.js';
import { eastWestLoadBalancer } from './east-west-load-balancer.js';
import { exposeIstiod } from './expose-istiod.js';
import { gatewayPrivilegedPort } from './gateway-privileged-port.js';
import { helmDuplicateObject } from './helm-duplicate-object.js';
import { helmGatewayNetwork } from './helm-gateway-network.js';
import { helmIstiodValues } from './helm-istiod-values.js';
import { helmValuesMatch } from './helm-values-match.js';
import { istioHub } from './istio-hub.js';
import { istioProfile } from './istio-profile.js';
import { istioProxyRanges } from './istio-proxy-ranges.js';
import { istioRevision } from './istio-revision.js';
import { istioTag } from './istio-tag.js';
import { istioGatewayName } from './istio-gateway-name.js';
import { istioVersionSkew } from './istio-version-skew.js';
import { meshIdMatch } from './mesh-id-match.js';
import { meshNetworksComplete } from './mesh-networks-complete.js';
import { networkMatch } from './network-match.js';
import { noPlaintextSecrets } from './no-plaintext-secrets.js';
import { remotePilotAddress } from './remote-pilot-address.js';
import { remoteSecretKey } from './remote-secret-key.js';
import { remoteSecretPresent } from './remote-secret-present.js';
import { sharedRootCa } from './shared-root-ca.js';
import { singleIstioOperator } from './single-istiooperator.js';
import { tcmClustersDisjoint } from './tcm-clusters-disjoint.js';
import { tcmVersionMatch } from './tcm-version-match.js';
import { trustDomainMatch } from './trust-domain-match.js';
import { vmCrossNetworkGateway } from './vm-cross-network-gateway.js';
import { vmIstiodExposed } from './vm-istiod-exposed.js';
import { vmServiceAccount } from './vm-service-account.js';

/** Rules over the input, what a single field's type cannot say; their findings are input errors (rule `input`). */
export const inputRules: readonly InputRule[] = [
  // Clusters and their roles, and the Istio version meshops knows how to render.
  inputClusterNameUnique,
  inputIstioVersion,
  inputPrimaryPresent,
  inputRoleFields,
  inputRemoteControlPlane,
  inputLoadBalancerFields,
  inputEastWestGateway,
  inputPodSubnetOverlap,
  // Virtual machines (seed 004).
  inputVmName,
  inputVmCluster,
  inputVmNamespace,
  inputVmIstiodIp,
  // Delivery.
  inputRemoteSecretKey,
  inputRootCa,
  inputArgocdDestinations,
  inputArgocdApplicationName,
  inputArgocdApplicationSet,
  inputHelmCharts,
  // Istio's own APIs, for what meshops does not model.
  inputIstioOverlays,
  // The ASM migration (seed 002).
  inputAsmDestination,
  inputAsmFinished,
  inputAsmEgress,
];

/** Rules over rendered trees. */
export const policies: readonly Policy[] = [
  // The contract's rules.
  singleIstioOperator,
  meshIdMatch,
  networkMatch,
  meshNetworksComplete,
  remotePilotAddress,
  configOnRemote,
  sharedRootCa,
  // Cross-cluster rules a mesh operator wants next.
  clusterNameUnique,
  trustDomainMatch,
  istioVersionSkew,
  eastWestGatewayPorts,
  eastWestGatewayInternal,
  eastWestLoadBalancer,
  exposeIstiod,
  crossNetworkGateway,
  remoteSecretPresent,
  remoteSecretKey,
  noPlaintextSecrets,
  // istioctl's own semantic checks, for the Istio version of each IstioOperator.
  istioRevision,
  istioProfile,
  istioHub,
  istioTag,
  istioGatewayName,
  istioProxyRanges,
  gatewayPrivilegedPort,
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
