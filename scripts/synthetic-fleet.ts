/**
 * Synthetic fleets for the benchmark: many environments, each a multi-network mesh where every
 * network has one primary serving remotes (Istio's multi-primary, multi-network shape with
 * primary-remote inside each network). Deterministic: the same options give the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { ENVIRONMENTS_DIR, MESH_YAML_FILE } from '../generator/layout.js';
import type { Provider } from '../generator/istio/providers.js';
import type { MeshEnvironmentInput } from '../generator/model/mesh-environment.js';

export interface FleetOptions {
  clusters: number;
  /** Clusters per environment (one mesh); the last environment takes the rest. */
  clustersPerEnvironment: number;
  /** Clusters per network: the first is the network's primary, the others its remotes. */
  clustersPerNetwork: number;
  /**
   * One warning per cluster (what findings cost): every cluster on provider generic, whose east-west
   * gateway no preset makes internal, so east-west-gateway-internal warns once per cluster that has
   * one (all of them when an environment spans several networks).
   */
  withFindings?: boolean;
}

export const DEFAULT_FLEET_SHAPE = { clustersPerEnvironment: 100, clustersPerNetwork: 10 } as const;

/** A /20 per cluster inside 10.0.0.0/8, by position in its network: 4,096 clusters per network at most. */
const MAX_CLUSTERS_PER_NETWORK = 4096;

type ClusterInput = MeshEnvironmentInput['spec']['clusters'][number];

/** Cycles through the providers, each with the load-balancer fields its preset takes. */
function providerSettings(i: number, name: string): { provider: Provider; loadBalancer?: Record<string, string> } {
  switch (i % 5) {
    case 0:
      return { provider: 'tke', loadBalancer: { existingId: `lb-${name}` } };
    case 1:
      return { provider: 'ack', loadBalancer: { existingId: `lb-${name}` } };
    case 2:
      return { provider: 'metallb', loadBalancer: { addressPool: 'east-west' } };
    case 3:
      return { provider: 'aws' };
    default:
      return { provider: 'gcp' };
  }
}

/** AWS load balancers are reached by hostname, the others by IP. */
function eastWestAddress(provider: Provider, name: string, i: number): string {
  if (provider === 'aws') return `${name}-ew.elb.us-east-1.amazonaws.com`;
  return `192.168.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`;
}

function podSubnet(indexInNetwork: number): string {
  return `10.${indexInNetwork >> 4}.${(indexInNetwork & 15) << 4}.0/20`;
}

function syntheticEnvironment(name: string, clusterCount: number, clustersPerNetwork: number, version: string, withFindings: boolean): MeshEnvironmentInput {
  const clusters: ClusterInput[] = [];
  for (let i = 0; i < clusterCount; i++) {
    const networkIndex = Math.floor(i / clustersPerNetwork);
    const indexInNetwork = i % clustersPerNetwork;
    const network = `net-${String(networkIndex).padStart(3, '0')}`;
    const clusterName = `${name}-c${String(i).padStart(5, '0')}`;
    const preset = providerSettings(i, clusterName);
    const { provider, loadBalancer } = withFindings ? { provider: 'generic' as const, loadBalancer: undefined } : preset;
    const primary = `${name}-c${String(networkIndex * clustersPerNetwork).padStart(5, '0')}`;
    clusters.push({
      name: clusterName,
      role: indexInNetwork === 0 ? 'primary' : 'remote',
      network,
      ...(indexInNetwork === 0 ? {} : { controlPlane: primary }),
      // Pod subnets repeat across networks: overlapping pod CIDRs is why a mesh has several networks.
      podSubnet: podSubnet(indexInNetwork),
      locality: { region: `region-${networkIndex % 4}`, zone: `zone-${indexInNetwork % 3}` },
      provider,
      eastWestGateway: { address: eastWestAddress(preset.provider, clusterName, i), ...(loadBalancer ? { loadBalancer } : {}) },
      ...(indexInNetwork === 0 ? { ingressGateway: { enabled: true } } : {}),
    });
  }
  return {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name },
    spec: {
      meshID: `mesh-${name}`,
      istio: { version },
      clusters,
      remoteSecrets: { store: { kind: 'ClusterSecretStore', name: 'vault' }, key: 'istio/remote-secrets/{cluster}' },
      // Several primaries: one root of trust, each primary's intermediate CA from the store.
      rootCA: { store: { kind: 'ClusterSecretStore', name: 'vault' } },
    },
  };
}

/** The environments of a fleet, named fleet-000, fleet-001, ... */
export function syntheticFleet(options: FleetOptions): MeshEnvironmentInput[] {
  const { clusters, clustersPerEnvironment, clustersPerNetwork, withFindings = false } = options;
  if (!(clusters > 0 && clustersPerEnvironment > 0 && clustersPerNetwork > 0) || clustersPerNetwork > MAX_CLUSTERS_PER_NETWORK) {
    throw new Error(`a fleet needs clusters > 0, clusters per environment > 0 and 1..${MAX_CLUSTERS_PER_NETWORK} clusters per network`);
  }
  const environments: MeshEnvironmentInput[] = [];
  for (let start = 0, e = 0; start < clusters; start += clustersPerEnvironment, e++) {
    const name = `fleet-${String(e).padStart(3, '0')}`;
    // Both networking API versions: Istio before 1.22 gets v1beta1 Gateways and VirtualServices.
    const version = e % 2 === 0 ? '1.22.3' : '1.18.5';
    environments.push(syntheticEnvironment(name, Math.min(clustersPerEnvironment, clusters - start), clustersPerNetwork, version, withFindings));
  }
  return environments;
}

/** Writes environments/<env>/mesh.yaml under `repoRoot`; returns the environment names. */
export function writeSyntheticFleet(repoRoot: string, options: FleetOptions): string[] {
  return syntheticFleet(options).map((env) => {
    const dir = path.join(repoRoot, ENVIRONMENTS_DIR, env.metadata.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, MESH_YAML_FILE), stringify(env));
    return env.metadata.name;
  });
}
