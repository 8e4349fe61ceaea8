/**
 * `meshops init`'s starting MeshEnvironment: the clusters from the command line, the fields only
 * the user knows marked TO FILL, and a comment on each saying what to put there, with the
 * provider's way of keeping the east-west load balancer internal.
 */
import type { Provider } from '../istio/providers.js';
import { API_VERSION, KIND } from '../model/mesh-environment.js';
import { toFill } from '../model/to-fill.js';
import { EAST_WEST_GATEWAY } from '../istio/names.js';
import type { PlainMap } from './istioctl-merge.js';

export interface ClusterArgument {
  name: string;
  role: 'primary' | 'remote';
  network: string;
  provider?: Provider;
}

export interface StartingEnvironmentOptions {
  env: string;
  clusters: readonly ClusterArgument[];
  istioVersion: string;
  install: 'helm' | 'istioctl';
}

/** How each provider's east-west load balancer is made internal, and what loadBalancer takes. */
const LOAD_BALANCER_ADVICE: Record<Provider, string> = {
  generic:
    'provider generic: meshops knows no annotation of your platform. Put the one that makes the\n' +
    "load balancer internal under eastWestGateway.annotations (rule east-west-gateway-internal warns until then).",
  tke:
    'TKE creates a public CLB unless told otherwise: set loadBalancer.existingId to an internal CLB you\n' +
    'created (service.kubernetes.io/tke-existed-lbid), or loadBalancer.subnetId to let TKE create one there.',
  ack: 'ACK: the SLB is internal (address-type intranet) by default; loadBalancer.existingId reuses an SLB you created.',
  metallb: 'MetalLB: loadBalancer.addressPool names the pool the address comes from (metallb.universe.tf/address-pool).',
  aws: 'AWS: the load balancer is internal (aws-load-balancer-scheme: internal) unless loadBalancer.internal is false.',
  gcp: 'GKE: the load balancer is Internal (networking.gke.io/load-balancer-type) unless loadBalancer.internal is false.',
  azure: 'AKS: the load balancer is internal (azure-load-balancer-internal) unless loadBalancer.internal is false.',
};

export function startingEnvironment(options: StartingEnvironmentOptions): { environment: PlainMap; comments: Map<string, string> } {
  const comments = new Map<string, string>();
  const primaries = options.clusters.filter((c) => c.role === 'primary');
  const multiNetwork = new Set(options.clusters.map((c) => c.network)).size > 1;
  const hasRemotes = options.clusters.some((c) => c.role === 'remote');

  comments.set('spec.meshID', 'One name for the whole mesh, the same in every cluster; changing it later restarts every workload.');
  comments.set('spec.istio.version', 'The Istio release every cluster runs (the IstioOperator tag, the Helm charts\' version).');
  comments.set(
    'spec.istio.install',
    options.install === 'helm'
      ? "helm: Argo CD installs Istio from Istio's charts (add spec.argocd: repoURL, targetRevision).\n" +
          'istioctl instead: you run istioctl install -f rendered/<env>/clusters/<cluster>/istio-operator.yaml.'
      : 'istioctl: install each cluster, primaries first, with\nistioctl install -f rendered/<env>/clusters/<cluster>/istio-operator.yaml.',
  );

  const clusters = options.clusters.map((c, i) => {
    const cluster: PlainMap = { name: c.name, role: c.role, network: c.network, ...(c.provider ? { provider: c.provider } : {}) };
    const at = `spec.clusters.${i}`;
    if (c.role === 'remote' && primaries.length > 1) {
      cluster.controlPlane = toFill(`the primary whose istiod ${c.name} uses (one of ${primaries.map((p) => p.name).join(', ')})`);
      comments.set(`${at}.controlPlane`, 'With several primaries, each remote names its own.');
    }
    // With several primaries, which remotes a primary serves is not known yet: every primary may.
    const exposesIstiod = c.role === 'primary' && hasRemotes;
    if (multiNetwork || exposesIstiod) {
      cluster.eastWestGateway = { address: toFill(`the address of ${c.name}'s east-west gateway load balancer`) };
      const why = [
        ...(exposesIstiod ? ["remotes reach this primary's istiod through it (ports 15012, 15017)"] : []),
        ...(multiNetwork ? ['pods on other networks reach this cluster through it (port 15443)'] : []),
      ].join(';\nand ');
      comments.set(
        `${at}.eastWestGateway`,
        `The east-west gateway: ${why}.\n` +
          `Reserve its load balancer's IP first, or render, install, then read it from\n` +
          `kubectl -n istio-system get svc ${EAST_WEST_GATEWAY}.\n` +
          LOAD_BALANCER_ADVICE[c.provider ?? 'generic'],
      );
    }
    return cluster;
  });

  return {
    environment: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: options.env },
      spec: {
        meshID: options.env,
        istio: { version: options.istioVersion, install: options.install },
        clusters,
      },
    },
    comments,
  };
}
