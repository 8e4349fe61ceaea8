/**
 * The other install path, read back: a Helm values file of Istio's istiod or gateway chart, as the
 * IstioOperator document it corresponds to (the inverse of render/helm-values.ts), so import
 * treats both install paths alike. The istiod chart takes the IstioOperator's spec.values keys
 * (istioctl renders that chart from them), with meshConfig, hub, tag, revision and profile lifted
 * to where the IstioOperator has them; a gateway chart with `networkGateway` is the east-west
 * gateway, any other the ingress gateway.
 */
import type { FieldPath } from '../findings.js';
import { NETWORK_LABEL } from '../istio/labels.js';
import { EAST_WEST_GATEWAY, INGRESS_GATEWAY } from '../istio/names.js';
import { isMap, type PlainMap } from './istioctl-merge.js';

export type IstioChart = 'istiod' | 'gateway';

export function chartOf(values: PlainMap): IstioChart {
  return ['networkGateway', 'service', 'labels', 'replicaCount', 'autoscaling'].some((k) => k in values) && !('pilot' in values) && !('meshConfig' in values) ? 'gateway' : 'istiod';
}

/** The IstioOperator document, and how its paths map back to the values file's. */
export function istioOperatorFromHelmValues(values: PlainMap, cluster: string): { iop: PlainMap; valuesPath(iopPath: FieldPath): FieldPath; leftOver: string[] } {
  if (chartOf(values) === 'gateway') {
    const network = typeof values.networkGateway === 'string' && values.networkGateway !== '' ? values.networkGateway : undefined;
    const annotations = isMap(values.service) && isMap(values.service.annotations) ? values.service.annotations : undefined;
    const gateway: PlainMap = {
      name: network ? EAST_WEST_GATEWAY : INGRESS_GATEWAY,
      enabled: true,
      ...(network ? { label: { istio: 'eastwestgateway', app: EAST_WEST_GATEWAY, [NETWORK_LABEL]: network } } : {}),
      ...(annotations ? { k8s: { serviceAnnotations: annotations } } : {}),
    };
    const known = new Set(['networkGateway', 'revision']);
    const leftOver = Object.keys(values).filter((k) => !known.has(k) && !(k === 'service' && isMap(values.service) && Object.keys(values.service).every((s) => s === 'annotations')));
    return {
      iop: { spec: { components: { ingressGateways: [gateway] }, values: { global: { multiCluster: { clusterName: cluster } } } } },
      valuesPath: (p) => (p.includes('serviceAnnotations') ? ['service', 'annotations', ...p.slice(p.indexOf('serviceAnnotations') + 1)] : ['networkGateway']),
      leftOver,
    };
  }
  const { meshConfig, revision, profile, ...rest } = values;
  const global = isMap(rest.global) ? { ...rest.global } : {};
  const { hub, tag } = global;
  delete global.hub;
  delete global.tag;
  const multiCluster = isMap(global.multiCluster) ? global.multiCluster : {};
  global.multiCluster = { ...multiCluster, clusterName: multiCluster.clusterName ?? cluster };
  const spec: PlainMap = {
    ...(profile !== undefined ? { profile } : {}),
    ...(hub !== undefined ? { hub } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(revision !== undefined ? { revision } : {}),
    ...(isMap(meshConfig) ? { meshConfig } : {}),
    values: { ...rest, global },
  };
  return {
    iop: { spec },
    valuesPath: (p) => {
      const [, field, ...below] = p;
      if (field === 'values') return below;
      if (field === 'hub' || field === 'tag') return ['global', field];
      return [String(field), ...below];
    },
    leftOver: [],
  };
}
