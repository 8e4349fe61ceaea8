import { describe, expect, it } from 'vitest';
import { gatewayPrivilegedPort } from '../../policies/gateway-privileged-port.js';
import { check, checkAll, fileOf, lineOf, seed000 } from './trees.js';

const PRIMARY = 'clusters/cls-dxgdg1rl/master-cluster.yaml';

/** Seed 000 with the east-west gateway's cross-network port forwarded to `targetPort`. */
function withTarget(targetPort: number | undefined) {
  const tree = seed000();
  const spec = tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec;
  const tls = spec.components.ingressGateways[1].k8s.service.ports.find((p: { name: string }) => p.name === 'tls');
  if (targetPort === undefined) delete tls.targetPort;
  else tls.targetPort = targetPort;
  return { tree, spec, tls };
}

describe('gateway-privileged-port', () => {
  it('accepts ports above 1024, and a privileged one with runAsRoot for that gateway kind', () => {
    expect(check(gatewayPrivilegedPort, seed000())).toEqual([]);
    const { tree, spec } = withTarget(443);
    spec.values.gateways = { 'istio-ingressgateway': { runAsRoot: true } };
    expect(check(gatewayPrivilegedPort, tree)).toEqual([]);
  });

  it('reports a targetPort below 1024, and nothing else, at that targetPort', () => {
    const { tree } = withTarget(443);
    expect(checkAll(tree)).toEqual([
      expect.objectContaining({
        rule: 'gateway-privileged-port',
        severity: 'error',
        file: fileOf(PRIMARY),
        line: lineOf(tree, PRIMARY, 'targetPort: 443'),
        message: 'gateway "istio-eastwestgateway" port 15443 has targetPort 443, below 1024, which needs root: set a targetPort above 1024, or values.gateways.istio-ingressgateway.runAsRoot: true',
      }),
    ]);
  });

  it('reports a privileged port without targetPort (which then defaults to the port) at the port', () => {
    const { tree, tls } = withTarget(undefined);
    tls.port = 443;
    const findings = check(gatewayPrivilegedPort, tree);
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [lineOf(tree, PRIMARY, 'port: 443'), 'gateway "istio-eastwestgateway" port 443 has targetPort unset (so 443), below 1024, which needs root: set a targetPort above 1024, or values.gateways.istio-ingressgateway.runAsRoot: true'],
    ]);
  });
});
