import { globalPath } from '../generator/validate/cluster-facts.js';
import { asArray, asObject, scalarText } from '../generator/json.js';
import type { Policy } from '../generator/validate/policy.js';

/** Seed 003: "both lines are required" — a meshNetworks gateway needs an address and a port. */
export const meshNetworksComplete: Policy = {
  id: 'mesh-networks-complete',
  description: 'Every meshNetworks.<network>.gateways[] entry has an address (or registryServiceName) and a port.',
  severity: 'error',
  docs: {
    rationale:
      'istiod sends traffic for another network\'s endpoints to that network\'s gateway at address:port. istioctl does not check values.global.meshNetworks, so an entry without one of them installs fine and istiod then drops the gateway: the network\'s services become unreachable from everywhere else.',
    bad: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  values:
    global:
      meshNetworks:
        network-c2:
          endpoints: [{fromRegistry: c2}]
          gateways: [{address: 10.6.136.29}]`,
    good: `# clusters/c1/istio-operator.yaml
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: {name: istio, namespace: istio-system}
spec:
  values:
    global:
      meshNetworks:
        network-c2:
          endpoints: [{fromRegistry: c2}]
          gateways: [{address: 10.6.136.29, port: 15443}]`,
  },
  check({ clusters, report }) {
    for (const c of clusters) {
      if (!c.iop || !c.meshNetworks) continue;
      for (const network of Object.keys(c.meshNetworks).sort()) {
        asArray(asObject(c.meshNetworks[network])?.gateways).forEach((entry, i) => {
          const gateway = asObject(entry) ?? {};
          const missing: string[] = [];
          if (scalarText(gateway.address) === undefined && scalarText(gateway.registryServiceName) === undefined) missing.push('an address (or registryServiceName)');
          if (scalarText(gateway.port) === undefined) missing.push('a port');
          if (missing.length === 0) return;
          report({
            doc: c.iop!,
            path: globalPath('meshNetworks', network, 'gateways', i),
            message: `cluster "${c.name}": meshNetworks.${network}.gateways[${i}] lacks ${missing.join(' and ')}; istiod ignores a gateway without both, leaving network "${network}" unreachable`,
          });
        });
      }
    }
  },
};
