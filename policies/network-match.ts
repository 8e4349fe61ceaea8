import type { Policy } from '../generator/validate/policy.js';
import { checkClusterNetworks } from './network-match/cluster-network.js';
import { checkMeshNetworksAgree } from './network-match/mesh-networks-agree.js';
import { checkMeshNetworksCover } from './network-match/mesh-networks-cover.js';

/** Seed 003: a cluster's network is stated in four places, and meshNetworks must be the same everywhere. */
export const networkMatch: Policy = {
  id: 'network-match',
  description:
    'A cluster states its network identically in IstioOperator values.global.network, the istio-system Namespace label, and the east-west gateway\'s label and ISTIO_META_REQUESTED_NETWORK_VIEW; meshNetworks is the same on every cluster that carries it and, with several networks, has an entry for every cluster\'s network.',
  severity: 'error',
  docs: {
    rationale:
      'Istio learns a cluster\'s network from several places: sidecars from values.global.network, istiod (for the endpoints of the cluster) from the topology.istio.io/network label of istio-system, and from the east-west gateway\'s label which gateway serves which network. When they disagree, istiod sends traffic for pods it believes are on another network through a gateway (or straight to unreachable pod IPs), and cross-network calls fail. Each istiod routes with its own meshNetworks, so copies that differ, or miss a network, make the mesh route differently depending on the caller.',
    bad: `# clusters/mdemo-cluster2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {network: network-c2}}}
# clusters/mdemo-cluster2/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: istio-system, labels: {topology.istio.io/network: network-c3}}`,
    good: `# clusters/mdemo-cluster2/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec: {values: {global: {network: network-c2}}}
# clusters/mdemo-cluster2/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: istio-system, labels: {topology.istio.io/network: network-c2}}`,
  },
  check(context) {
    checkClusterNetworks(context);
    checkMeshNetworksAgree(context);
    checkMeshNetworksCover(context);
  },
};
