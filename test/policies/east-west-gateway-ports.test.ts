import { describe, expect, it } from 'vitest';
import { eastWestGatewayPorts } from '../../policies/east-west-gateway-ports.js';
import { check, fileOf, lineOf, seed000, seed003 } from './trees.js';

const portsOf = (tree: Record<string, Record<string, any[]>>, cluster: string, file: string, index: number) =>
  tree[cluster]![file]![0].spec.components.ingressGateways[index].k8s.service.ports as { name: string; port: number; targetPort?: number }[];

describe('east-west-gateway-ports', () => {
  it("accepts Istio's gen-eastwest-gateway ports, and a cross-network Service port that forwards to 15443", () => {
    expect(check(eastWestGatewayPorts, seed000())).toEqual([]);
    const tree = seed003();
    portsOf(tree, 'mdemo-cluster2', 'istio-operator.yaml', 0)[1] = { name: 'tls', port: 15444, targetPort: 15443 };
    expect(check(eastWestGatewayPorts, tree)).toEqual([]);
  });

  it('reports a primary exposing istiod without 15012, at the ports', () => {
    const tree = seed000();
    const ports = portsOf(tree, 'cls-dxgdg1rl', 'master-cluster.yaml', 1);
    ports.splice(ports.findIndex((p) => p.port === 15012), 1);
    const findings = check(eastWestGatewayPorts, tree);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'east-west-gateway-ports',
      severity: 'error',
      file: fileOf('clusters/cls-dxgdg1rl/master-cluster.yaml'),
      line: lineOf(tree, 'clusters/cls-dxgdg1rl/master-cluster.yaml', 'ports:'),
      message: 'cluster "cls-dxgdg1rl" exposes istiod to remotes or VMs, but its east-west gateway Service lacks 15012 (istiod XDS and CA)',
    });
  });

  it('with one network, does not require 15443, nor 15012/15017 on a gateway that exposes no istiod', () => {
    const tree = seed000();
    portsOf(tree, 'cls-dxgdg1rl', 'master-cluster.yaml', 1).splice(1, 1);
    expect(check(eastWestGatewayPorts, tree)).toEqual([]);
    const multi = seed003();
    portsOf(multi, 'mdemo-cluster2', 'istio-operator.yaml', 0).splice(2, 2);
    expect(check(eastWestGatewayPorts, multi)).toEqual([]);
  });

  it('with several networks, reports a gateway without 15443', () => {
    const tree = seed003();
    portsOf(tree, 'mdemo-cluster3', 'istio-operator.yaml', 0).splice(1, 1);
    expect(check(eastWestGatewayPorts, tree).map((f) => f.message)).toEqual([
      'cluster "mdemo-cluster3": the east-west gateway Service has no port forwarding to 15443 (cross-network mTLS), which the mesh\'s networks "network-c1", "network-c2" and "network-c3" need',
    ]);
  });
});
