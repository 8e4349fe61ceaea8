import { describe, expect, it } from 'vitest';
import { exposeIstiod as rule } from '../../policies/expose-istiod.js';
import { check, exposeIstiod, fileOf, lineOf, seed000, seed003 } from './trees.js';

const master = 'clusters/cls-dxgdg1rl/master-cluster.yaml';
const messages = (tree: ReturnType<typeof seed000>) => check(rule, tree).map((f) => f.message);

describe('expose-istiod', () => {
  it("accepts Istio's expose-istiod Gateway and VirtualService on the primary remotes use", () => {
    expect(check(rule, seed000())).toEqual([]);
    expect(check(rule, seed003())).toEqual([]);
  });

  it('does not ask a primary without remotes to expose istiod', () => {
    const tree = seed000();
    delete tree['cls-ne1cw84b'];
    delete tree['cls-dxgdg1rl']!['expose-istiod.yaml'];
    expect(check(rule, tree)).toEqual([]);
  });

  it('reports a primary remotes use that lacks the Gateway and VirtualService, at its IstioOperator', () => {
    const tree = seed000();
    delete tree['cls-dxgdg1rl']!['expose-istiod.yaml'];
    const findings = check(rule, tree);
    expect(findings.map((f) => [f.file, f.line])).toEqual([
      [fileOf(master), lineOf(tree, master, 'kind:')],
      [fileOf(master), lineOf(tree, master, 'kind:')],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      'primary "cls-dxgdg1rl" has no Gateway istiod-gateway in istio-system, but remotes "cls-ne1cw84b" use its istiod; add Istio\'s expose-istiod Gateway',
      'primary "cls-dxgdg1rl" has no VirtualService bound to istiod-gateway, but remotes "cls-ne1cw84b" use its istiod; add Istio\'s expose-istiod VirtualService (istiod-vs)',
    ]);
  });

  it('reports a primary with a meshops.dev/istiod-address (VMs use it) but no expose-istiod objects', () => {
    const tree = seed000();
    delete tree['cls-ne1cw84b'];
    delete tree['cls-dxgdg1rl']!['expose-istiod.yaml'];
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].metadata = { annotations: { 'meshops.dev/istiod-address': '10.0.250.58' } };
    const findings = check(rule, tree);
    expect(findings.map((f) => f.line)).toEqual([lineOf(tree, master, 'meshops.dev/istiod-address'), lineOf(tree, master, 'meshops.dev/istiod-address')]);
    expect(findings[0]!.message).toContain('its IstioOperator states an istiod address for remotes and VMs');
  });

  it('reports a Gateway that does not pass 15017 through, or selects another gateway', () => {
    const tree = seed000();
    const [gateway, vs] = exposeIstiod();
    gateway!.spec.servers[1].tls.mode = 'SIMPLE';
    gateway!.spec.selector = { istio: 'ingressgateway' };
    tree['cls-dxgdg1rl']!['expose-istiod.yaml'] = [gateway!, vs!];
    expect(messages(tree)).toEqual([
      'Gateway istiod-gateway: the server on port 15017 must pass TLS through (tls.mode: PASSTHROUGH); istiod terminates it with its own certificate',
      'Gateway istiod-gateway does not select the east-west gateway (labels istio=eastwestgateway, app=istio-eastwestgateway, topology.istio.io/network=main)',
    ]);
  });

  it('routes to the istiod of the IstioOperator revision (Istio\'s expose-istiod-rev)', () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.revision = '1-18-5';
    expect(messages(tree)).toEqual([
      'VirtualService istiod-vs does not route port 15012 (istiod XDS and CA) to istiod-1-18-5.istio-system.svc.cluster.local:15012',
      'VirtualService istiod-vs does not route port 15017 (istiod webhook) to istiod-1-18-5.istio-system.svc.cluster.local:443',
    ]);
    tree['cls-dxgdg1rl']!['expose-istiod.yaml'] = exposeIstiod('1-18-5');
    expect(messages(tree)).toEqual([]);
  });

  it("with a revision, reports a route matching every SNI; two revisions' VirtualServices share istiod-gateway", () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.revision = '1-18-5';
    const [gateway, vs] = exposeIstiod('1-18-5');
    for (const route of vs!.spec.tls) route.match[0].sniHosts = ['*'];
    tree['cls-dxgdg1rl']!['expose-istiod.yaml'] = [gateway!, vs!];
    expect(messages(tree)).toEqual([
      "VirtualService istiod-vs-1-18-5 routes port 15012 of every SNI to revision 1-18-5; with revisions, match sniHosts istiod-1-18-5.istio-system.svc (Istio's expose-istiod-rev), so control planes of two revisions can share the east-west gateway",
      "VirtualService istiod-vs-1-18-5 routes port 15017 of every SNI to revision 1-18-5; with revisions, match sniHosts istiod-1-18-5.istio-system.svc (Istio's expose-istiod-rev), so control planes of two revisions can share the east-west gateway",
    ]);
    // The canary's VirtualService beside the running revision's: each IstioOperator finds its own.
    tree['cls-dxgdg1rl']!['expose-istiod.yaml'] = [...exposeIstiod('1-17-8'), exposeIstiod('1-18-5')[1]!];
    expect(messages(tree)).toEqual([]);
  });

  it('reports a primary remotes use that has no east-west gateway', () => {
    const tree = seed000();
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].spec.components.ingressGateways.pop();
    tree['cls-dxgdg1rl']!['master-cluster.yaml']![0].metadata = { annotations: { 'meshops.dev/istiod-address': '10.0.250.58' } };
    expect(messages(tree)).toEqual([
      'primary "cls-dxgdg1rl" has no east-west gateway, but remotes "cls-ne1cw84b" use its istiod; add the istio-eastwestgateway component',
    ]);
  });
});
