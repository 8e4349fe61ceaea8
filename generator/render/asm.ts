/**
 * In-place migration from Istio to Alibaba Cloud ASM (seed 002): the ASMMigrateFromIstio object the
 * ASM control plane reconciles (rendered/<env>/asm/), and, in every cluster, the egress routes that
 * shift each external host from Istio's egress gateway to ASM's by weight.
 */
import { ASM_DIR } from '../layout.js';
import type { MeshEnvironment } from '../model/mesh-environment.js';
import type { Topology } from '../model/topology.js';
import {
  ASM_EGRESS_GATEWAY_HOST,
  ASM_MIGRATION_API_VERSION,
  ASM_MIGRATION_KIND,
  ASM_MIGRATION_NAME,
  ISTIO_EGRESS_GATEWAY_HOST,
} from '../istio/asm.js';
import { EGRESS_GATEWAY, ISTIO_NAMESPACE } from '../istio/names.js';
import type { Manifest, RenderedFile } from './types.js';

const EGRESS_SELECTOR = { istio: 'egressgateway' };

/**
 * ASM forces `istio-injection: disabled` on istio-system unless told not to; Istio's east-west
 * gateway needs injection there (its image is replaced by the webhook), so any cluster with one
 * turns that reconciliation off.
 */
function disablesIstioSystemLabelReconciliation(topology: Topology): boolean {
  return topology.clusters.some((c) => topology.hasEastWestGateway(c));
}

function asmMigrateFromIstio(model: MeshEnvironment, topology: Topology): Manifest | undefined {
  const asm = model.spec.migration?.asm;
  if (!asm) return undefined;
  return {
    apiVersion: ASM_MIGRATION_API_VERSION,
    kind: ASM_MIGRATION_KIND,
    metadata: { name: ASM_MIGRATION_NAME },
    spec: {
      desiredState: asm.desiredState,
      retryCounter: asm.retryCounter,
      advancedOptions: { disableIstioSystemLabelReconciliation: disablesIstioSystemLabelReconciliation(topology) },
    },
  };
}

/** rendered/<env>/asm/: what Argo CD (or `kubectl apply`) syncs to the ASM instance. */
export function asmFiles(model: MeshEnvironment, topology: Topology): RenderedFile[] {
  const migration = asmMigrateFromIstio(model, topology);
  return migration ? [{ path: `${ASM_DIR}/${ASM_MIGRATION_KIND.toLowerCase()}.yaml`, documents: [migration] }] : [];
}

interface EgressHost {
  host: string;
  /** Sorted ports, each with the share of mesh traffic sent to ASM's egress gateway. */
  ports: { port: number; asmWeight: number }[];
}

/** Egress entries by host (DNS names compare case-insensitively), hosts and ports sorted. */
function egressHosts(model: MeshEnvironment): EgressHost[] {
  const byHost = new Map<string, EgressHost>();
  for (const entry of model.spec.migration?.asm?.egress ?? []) {
    const host = entry.host.toLowerCase();
    const group = byHost.get(host) ?? { host, ports: [] };
    group.ports.push({ port: entry.port, asmWeight: entry.asmWeight });
    byHost.set(host, group);
  }
  return [...byHost.values()]
    .map((g) => ({ ...g, ports: g.ports.sort((a, b) => a.port - b.port) }))
    .sort((a, b) => (a.host < b.host ? -1 : 1));
}

const httpPort = (number: number) => ({ number, name: `http-${number}`, protocol: 'HTTP' });
const egressName = (host: string) => `egress-${host}`;

/**
 * Istio's egress gateway task, complete: the ServiceEntry that makes the host known (the gateway
 * cannot route to an unknown host), the Gateway `istio-egressgateway` the routes name, and per
 * host the seed's VirtualService: mesh traffic split between Istio's and ASM's egress gateways,
 * and traffic arriving at Istio's egress gateway sent on to the host.
 */
export function egressObjects(model: MeshEnvironment, networkingApiVersion: string): Manifest[] {
  const hosts = egressHosts(model);
  if (hosts.length === 0) return [];
  const metadata = (name: string) => ({ name, namespace: ISTIO_NAMESPACE });
  const ports = [...new Set(hosts.flatMap((h) => h.ports.map((p) => p.port)))].sort((a, b) => a - b);
  const gateway: Manifest = {
    apiVersion: networkingApiVersion,
    kind: 'Gateway',
    metadata: metadata(EGRESS_GATEWAY),
    spec: {
      selector: EGRESS_SELECTOR,
      servers: ports.map((port) => ({
        port: httpPort(port),
        hosts: hosts.filter((h) => h.ports.some((p) => p.port === port)).map((h) => h.host),
      })),
    },
  };
  const perHost = hosts.flatMap(({ host, ports: hostPorts }): Manifest[] => [
    {
      apiVersion: networkingApiVersion,
      kind: 'ServiceEntry',
      metadata: metadata(egressName(host)),
      spec: { hosts: [host], ports: hostPorts.map((p) => httpPort(p.port)), resolution: 'DNS', location: 'MESH_EXTERNAL' },
    },
    {
      apiVersion: networkingApiVersion,
      kind: 'VirtualService',
      metadata: metadata(egressName(host)),
      spec: {
        hosts: [host],
        gateways: [EGRESS_GATEWAY, 'mesh'],
        http: hostPorts.flatMap(({ port, asmWeight }) => [
          {
            match: [{ gateways: ['mesh'], port }],
            route: [
              { destination: { host: ISTIO_EGRESS_GATEWAY_HOST, port: { number: port } }, weight: 100 - asmWeight },
              { destination: { host: ASM_EGRESS_GATEWAY_HOST, port: { number: port } }, weight: asmWeight },
            ],
          },
          {
            match: [{ gateways: [EGRESS_GATEWAY], port }],
            route: [{ destination: { host, port: { number: port } }, weight: 100 }],
          },
        ]),
      },
    },
  ]);
  return [gateway, ...perHost];
}
