/**
 * A corpus of IstioOperator mistakes that istioctl or istiod refuses, or silently drops, each caught
 * by the expected rule at the line of the offending field; and the edge cases Istio accepts, which
 * must pass. Each case is one IstioOperator, `spec.tag` first, validated the way `meshops validate`
 * validates a cluster directory. Findings the same IstioOperator has without the case's lines (a
 * missing meshID, say) are not the case's and are left out.
 *
 * Sources: the schemas follow Istio's protos and types.go per minor (schemas/istio/); the semantic
 * rules cite istioctl's checks (policies/istio-*.ts, gateway-privileged-port.ts); meshNetworks follows
 * istiod's validateNetwork (generator/schemas/mesh-networks.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../generator/findings.js';
import { validateFiles } from './helpers.js';

const FILE = 'clusters/c1/istio-operator.yaml';

function istioOperator(tag: string, body: string): string {
  const indented = body
    .trim()
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
  return `apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: istio\n  namespace: istio-system\nspec:\n  tag: ${tag}\n${body.trim() ? `${indented}\n` : ''}`;
}

const key = (f: Finding) => `${f.rule} ${f.severity} ${f.message}`;

/** The findings the case's lines cause: those of the same IstioOperator without them are left out. */
function findingsOf(tag: string, body: string): { findings: Finding[]; text: string } {
  const text = istioOperator(tag, body);
  const baseline = new Set(validateFiles('corpus', new Map([[FILE, istioOperator(tag, '')]])).map(key));
  return { findings: validateFiles('corpus', new Map([[FILE, text]])).filter((f) => !baseline.has(key(f))), text };
}

const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.trimStart().replace(/^- /, '').startsWith(start)) + 1;

interface Mistake {
  tag: string;
  what: string;
  body: string;
  rule: string;
  /** How the reported line starts (indentation aside). */
  at: string;
  /** The field path the message names, for the schema rule. */
  path?: string;
  severity?: 'error' | 'warning';
}

const schema = (tag: string, what: string, body: string, at: string, path: string, severity: 'error' | 'warning' = 'error'): Mistake => ({ tag, what, body, rule: 'schema', at, path, severity });
const rule = (rule: string, tag: string, what: string, body: string, at: string): Mistake => ({ tag, what, body, rule, at });

const meshNetworks = (network: string) => `values:\n  global:\n    meshNetworks:\n      net2:\n${network.trim().split('\n').map((l) => `        ${l}`).join('\n')}`;

const MISTAKES: Mistake[] = [
  // Typos and fields no Istio release has.
  schema('1.18.5', 'meshId for meshID', 'values:\n  global:\n    meshId: mesh1', 'meshId:', 'spec.values.global: unknown field "meshId"'),
  schema('1.24.2', 'meshId for meshID (1.24)', 'values:\n  global:\n    meshId: mesh1', 'meshId:', 'spec.values.global: unknown field "meshId"'),
  schema('1.18.5', 'components.gateway', 'components:\n  gateway:\n    enabled: true', 'gateway:', 'spec.components: unknown field "gateway"'),
  schema('1.30.3', 'components.gateway (1.30)', 'components:\n  gateway:\n    enabled: true', 'gateway:', 'spec.components: unknown field "gateway"'),
  schema('1.22.3', 'values.pilot.policy', 'values:\n  pilot:\n    policy:\n      enabled: true', 'policy:', 'spec.values.pilot: unknown field "policy"'),
  schema('1.18.5', 'meshConfig.compliancePolicy, which no MeshConfig up to 1.23 has', 'meshConfig:\n  compliancePolicy: fips-140-2', 'compliancePolicy:', 'spec.meshConfig: unknown field "compliancePolicy"'),
  schema('1.23.6', 'meshConfig.compliancePolicy (1.23)', 'meshConfig:\n  compliancePolicy: fips-140-2', 'compliancePolicy:', 'spec.meshConfig: unknown field "compliancePolicy"'),
  schema('1.24.2', 'meshConfig.compliancePolicy from 1.24: istiod drops it, a warning', 'meshConfig:\n  compliancePolicy: fips-140-2', 'compliancePolicy:', 'spec.meshConfig.compliancePolicy: unknown MeshConfig field', 'warning'),
  schema('1.18.5', 'compnents', 'compnents:\n  pilot:\n    enabled: true', 'compnents:', 'spec: unknown field "compnents"'),
  schema('1.18.5', 'values.global.proxy.resource', 'values:\n  global:\n    proxy:\n      resource:\n        requests:\n          cpu: 10m', 'resource:', 'spec.values.global.proxy: unknown field "resource"'),
  schema('1.26.8', 'an unknown MeshConfig field, dropped by istiod from 1.24', 'meshConfig:\n  accessLogFormatt: "%START_TIME%"', 'accessLogFormatt:', 'unknown MeshConfig field "accessLogFormatt"', 'warning'),
  schema('1.20.8', 'an unknown MeshConfig field, refused up to 1.23', 'meshConfig:\n  accessLogFormatt: "%START_TIME%"', 'accessLogFormatt:', 'spec.meshConfig: unknown field "accessLogFormatt"'),
  schema('1.18.5', 'a typo in defaultConfig', 'meshConfig:\n  defaultConfig:\n    holdApplicationUntilProxyStarts: true\n    proxyMetaData: {}', 'proxyMetaData:', 'spec.meshConfig.defaultConfig: unknown field "proxyMetaData"'),
  schema('1.24.2', 'a typo in a gateway component', 'components:\n  ingressGateways:\n  - name: istio-ingressgateway\n    enable: true', 'enable:', 'spec.components.ingressGateways[0]: unknown field "enable"'),
  // Types.
  schema('1.18.5', 'values.global.proxy.resources.requests.cpu as a number (a map of strings)', 'values:\n  global:\n    proxy:\n      resources:\n        requests:\n          cpu: 1', 'cpu: 1', 'spec.values.global.proxy.resources.requests.cpu: must be string, got 1'),
  schema('1.24.2', 'values.pilot.resources.requests.cpu as a number', 'values:\n  pilot:\n    resources:\n      requests:\n        cpu: 1', 'cpu: 1', 'spec.values.pilot.resources.requests.cpu: must be string'),
  schema('1.18.5', 'k8s.resources.requests.cpu as a number (operator.proto: map of strings)', 'components:\n  pilot:\n    k8s:\n      resources:\n        requests:\n          cpu: 1', 'cpu: 1', 'spec.components.pilot.k8s.resources.requests.cpu: must be string'),
  schema('1.18.5', 'a BoolValue as a string', 'values:\n  pilot:\n    autoscaleEnabled: "true"', 'autoscaleEnabled:', 'spec.values.pilot.autoscaleEnabled: must be boolean, got "true"'),
  schema('1.30.3', 'enabled as a string (types.go BoolValue)', 'components:\n  pilot:\n    enabled: "true"', 'enabled:', 'spec.components.pilot.enabled: must be boolean'),
  schema('1.18.5', 'a string field given a number', 'values:\n  global:\n    logging:\n      level: 1', 'level: 1', 'spec.values.global.logging.level: must be string, got 1'),
  schema('1.18.5', 'a uint32 as a word', 'values:\n  pilot:\n    replicaCount: two', 'replicaCount:', 'spec.values.pilot.replicaCount: must match pattern'),
  schema('1.24.2', 'k8s.replicaCount quoted (Go\'s encoding/json takes no quotes for uint32)', 'components:\n  pilot:\n    k8s:\n      replicaCount: "2"', 'replicaCount:', 'spec.components.pilot.k8s.replicaCount: must be integer, got "2"'),
  schema('1.18.5', 'meshConfig.accessLogFile as a number', 'meshConfig:\n  accessLogFile: 1', 'accessLogFile:', 'spec.meshConfig.accessLogFile: must be string, got 1'),
  schema('1.18.5', 'meshConfig.accessLogEncoding not one of its enum names', 'meshConfig:\n  accessLogEncoding: XML', 'accessLogEncoding:', 'spec.meshConfig.accessLogEncoding: must be one of "TEXT", "JSON"'),
  schema('1.30.3', 'outboundTrafficPolicy.mode not one of its names', 'meshConfig:\n  outboundTrafficPolicy:\n    mode: ALLOW', 'mode:', 'spec.meshConfig.outboundTrafficPolicy.mode: must be one of'),
  schema('1.22.3', 'enableTracing as a word', 'meshConfig:\n  enableTracing: yes please', 'enableTracing:', 'spec.meshConfig.enableTracing: must be boolean'),
  schema('1.18.5', 'tracing.zipkin.address as a number', 'meshConfig:\n  defaultConfig:\n    tracing:\n      zipkin:\n        address: 9411', 'address: 9411', 'spec.meshConfig.defaultConfig.tracing.zipkin.address: must be string'),
  schema('1.18.5', 'tracing.sampling as a word', 'meshConfig:\n  defaultConfig:\n    tracing:\n      sampling: high', 'sampling:', 'spec.meshConfig.defaultConfig.tracing.sampling: must match pattern'),
  schema('1.24.2', 'an extension provider\'s port as a word', 'meshConfig:\n  extensionProviders:\n  - name: zipkin\n    zipkin:\n      service: zipkin.istio-system.svc.cluster.local\n      port: nine', 'port: nine', 'spec.meshConfig.extensionProviders[0].zipkin.port: must match pattern'),
  schema('1.18.5', 'a typo inside an extension provider', 'meshConfig:\n  extensionProviders:\n  - name: zipkin\n    zipkin:\n      servce: zipkin.istio-system.svc.cluster.local', 'servce:', 'spec.meshConfig.extensionProviders[0].zipkin: unknown field "servce"'),
  schema('1.26.8', 'two providers in one extension provider (a oneof)', 'meshConfig:\n  extensionProviders:\n  - name: tracing\n    zipkin:\n      service: zipkin.istio-system.svc.cluster.local\n      port: 9411\n    opentelemetry:\n      service: otel.istio-system.svc.cluster.local\n      port: 4317', 'opentelemetry:', 'spec.meshConfig.extensionProviders[0].opentelemetry: cannot be set together with "zipkin"'),
  schema('1.18.5', 'an ext-authz timeout as a number (a Duration)', 'meshConfig:\n  extensionProviders:\n  - name: authz\n    envoyExtAuthzHttp:\n      service: authz.foo.svc.cluster.local\n      port: 8000\n      timeout: 10', 'timeout: 10', 'spec.meshConfig.extensionProviders[0].envoyExtAuthzHttp.timeout: must be string'),
  schema('1.18.5', 'drainDuration as a number', 'meshConfig:\n  defaultConfig:\n    drainDuration: 45', 'drainDuration:', 'spec.meshConfig.defaultConfig.drainDuration: must be string'),
  schema('1.18.5', 'a duration Go cannot parse', 'meshConfig:\n  defaultConfig:\n    drainDuration: 45 seconds', 'drainDuration:', 'spec.meshConfig.defaultConfig.drainDuration: must match pattern'),
  schema('1.18.5', 'proxyMetadata value as a bool', 'meshConfig:\n  defaultConfig:\n    proxyMetadata:\n      ISTIO_META_DNS_CAPTURE: true', 'ISTIO_META_DNS_CAPTURE:', 'spec.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: must be string, got true'),
  schema('1.24.2', 'values.meshConfig is MeshConfig too', 'values:\n  meshConfig:\n    accessLogFile: 1', 'accessLogFile:', 'spec.values.meshConfig.accessLogFile: must be string'),
  // Kubernetes-typed settings.
  schema('1.18.5', 'tolerations as an object', 'components:\n  pilot:\n    k8s:\n      tolerations:\n        key: dedicated', 'tolerations:', 'spec.components.pilot.k8s.tolerations: must be array'),
  schema('1.24.2', 'tolerations as an object (1.24: corev1.Toleration)', 'components:\n  pilot:\n    k8s:\n      tolerations:\n        key: dedicated', 'tolerations:', 'spec.components.pilot.k8s.tolerations: must be array'),
  schema('1.24.2', 'a typo in affinity', 'components:\n  pilot:\n    k8s:\n      affinity:\n        nodeAffinity:\n          required: {}', 'required:', 'spec.components.pilot.k8s.affinity.nodeAffinity: unknown field "required"'),
  schema('1.18.5', 'a typo in affinity (operator.proto\'s copy)', 'components:\n  pilot:\n    k8s:\n      affinity:\n        nodeAffinity:\n          required: {}', 'required:', 'spec.components.pilot.k8s.affinity.nodeAffinity: unknown field "required"'),
  schema('1.18.5', 'an env value as a number', 'components:\n  pilot:\n    k8s:\n      env:\n      - name: PILOT_TRACE_SAMPLING\n        value: 1', 'value: 1', 'spec.components.pilot.k8s.env[0].value: must be string'),
  schema('1.24.2', 'a Service port out of range', 'components:\n  ingressGateways:\n  - name: istio-ingressgateway\n    k8s:\n      service:\n        ports:\n        - name: http2\n          port: 70000\n          targetPort: 8080', 'port: 70000', 'spec.components.ingressGateways[0].k8s.service.ports[0].port: must be <= 65535'),
  schema('1.18.5', 'a Service port out of range (operator.proto\'s ServicePort)', 'components:\n  ingressGateways:\n  - name: istio-ingressgateway\n    k8s:\n      service:\n        ports:\n        - name: http2\n          port: 70000\n          targetPort: 8080', 'port: 70000', 'spec.components.ingressGateways[0].k8s.service.ports[0].port: must be <= 65535'),
  schema('1.24.2', 'a nodeSelector value as a bool', 'components:\n  pilot:\n    k8s:\n      nodeSelector:\n        ssd: true', 'ssd:', 'spec.components.pilot.k8s.nodeSelector.ssd: must be string'),
  schema('1.18.5', 'values tolerations as an object (a list in the chart)', 'values:\n  pilot:\n    tolerations:\n      key: dedicated', 'tolerations:', 'spec.values.pilot.tolerations: must be array'),
  schema('1.22.3', 'a typo in values.global.defaultTolerations', 'values:\n  global:\n    defaultTolerations:\n    - key: dedicated\n      operatr: Exists', 'operatr:', 'spec.values.global.defaultTolerations[0]: unknown field "operatr"'),
  schema('1.30.3', 'a typo in values.pilot.affinity', 'values:\n  pilot:\n    affinity:\n      podAntiAffinity:\n        requiredDuringScheduling: []', 'requiredDuringScheduling:', 'spec.values.pilot.affinity.podAntiAffinity: unknown field "requiredDuringScheduling"'),
  schema('1.18.5', 'values.pilot.nodeSelector value as a number', 'values:\n  pilot:\n    nodeSelector:\n      zone: 1', 'zone:', 'spec.values.pilot.nodeSelector.zone: must be string'),
  // Fields of other versions.
  schema('1.24.2', 'values.global.oneNamespace, gone after 1.21', 'values:\n  global:\n    oneNamespace: true', 'oneNamespace:', 'spec.values.global: unknown field "oneNamespace"'),
  schema('1.24.2', 'spec.resourceSuffix, gone in 1.24', 'resourceSuffix: canary', 'resourceSuffix:', 'spec: unknown field "resourceSuffix"'),
  schema('1.24.2', 'spec.addonComponents, gone in 1.24', 'addonComponents:\n  grafana:\n    enabled: true', 'addonComponents:', 'spec: unknown field "addonComponents"'),
  schema('1.22.3', 'spec.defaultRevision, gone after 1.20', 'defaultRevision: true', 'defaultRevision:', 'spec: unknown field "defaultRevision"'),
  schema('1.20.8', 'spec.compatibilityVersion, new in 1.21', 'compatibilityVersion: "1.19"', 'compatibilityVersion:', 'spec: unknown field "compatibilityVersion"'),
  schema('1.17.8', 'components.ztunnel, new in 1.18', 'components:\n  ztunnel:\n    enabled: true', 'ztunnel:', 'spec.components: unknown field "ztunnel"'),
  schema('1.28.10', 'values.pilot.crlConfigMapName, new in 1.29', 'values:\n  pilot:\n    crlConfigMapName: crl', 'crlConfigMapName:', 'spec.values.pilot: unknown field "crlConfigMapName"'),
  schema('1.29.6', 'values.global.enableReaderRBAC, new in 1.30', 'values:\n  global:\n    enableReaderRBAC: true', 'enableReaderRBAC:', 'spec.values.global: unknown field "enableReaderRBAC"'),
  schema('1.21.6', 'values.pilot.taint, new in 1.22', 'values:\n  pilot:\n    taint:\n      enabled: true', 'taint:', 'spec.values.pilot: unknown field "taint"'),
  schema('1.24.2', 'status, which 1.24\'s IstioOperator type no longer has', 'status:\n  status: HEALTHY', 'status:', 'spec: unknown field "status"'),
  // istiod's meshNetworks rules.
  schema('1.18.5', 'fromCidr with a prefix over 32', meshNetworks('endpoints:\n- fromCidr: 10.2.0.0/33'), 'fromCidr:', 'endpoints[0].fromCidr: must be a CIDR block'),
  schema('1.18.5', 'fromCidr with a leading zero (Go refuses it)', meshNetworks('endpoints:\n- fromCidr: 10.02.0.0/16'), 'fromCidr:', 'endpoints[0].fromCidr: must be a CIDR block'),
  schema('1.24.2', 'fromCidr with an IPv6 zone', meshNetworks('endpoints:\n- fromCidr: fe80::1%eth0/64'), 'fromCidr:', 'endpoints[0].fromCidr: must be a CIDR block'),
  schema('1.24.2', 'fromRegistry that is not a DNS-1123 label', meshNetworks('endpoints:\n- fromRegistry: cluster_1'), 'fromRegistry:', 'endpoints[0].fromRegistry: must be a cluster ID'),
  schema('1.18.5', 'both fromCidr and fromRegistry (a oneof)', meshNetworks('endpoints:\n- fromCidr: 10.2.0.0/16\n  fromRegistry: cluster1'), 'fromRegistry:', 'endpoints[0].fromRegistry: cannot be set together with "fromCidr"'),
  schema('1.18.5', 'a typo in an endpoint', meshNetworks('endpoints:\n- fromRegistery: cluster1'), 'fromRegistery:', 'endpoints[0]: unknown field "fromRegistery"'),
  schema('1.18.5', 'a gateway address that is neither an IP nor a hostname', meshNetworks('gateways:\n- address: 10.0.0.256\n  port: 15443'), 'address:', 'gateways[0].address: must be an IP address or a hostname'),
  schema('1.22.3', 'a gateway port 0', meshNetworks('gateways:\n- address: 10.0.0.20\n  port: 0'), 'port: 0', 'gateways[0].port: must be a port number 1-65535, got 0'),
  schema('1.22.3', 'a gateway port over 65535', meshNetworks('gateways:\n- address: 10.0.0.20\n  port: 70000'), 'port: 70000', 'gateways[0].port: must be a port number 1-65535, got 70000'),
  schema('1.22.3', 'a gateway port as a word', meshNetworks('gateways:\n- address: 10.0.0.20\n  port: tls'), 'port: tls', 'gateways[0].port: must match pattern'),
  schema('1.24.2', 'a registryServiceName with an empty label', meshNetworks('gateways:\n- registryServiceName: istio-eastwestgateway..svc.cluster.local\n  port: 15443'), 'registryServiceName:', 'gateways[0].registryServiceName: must be the name of the gateway Service'),
  schema('1.24.2', 'both address and registryServiceName (a oneof)', meshNetworks('gateways:\n- registryServiceName: istio-eastwestgateway.istio-system.svc.cluster.local\n  address: 10.0.0.20\n  port: 15443'), 'address:', 'gateways[0].address: cannot be set together with "registryServiceName"'),
  // istioctl's semantic checks.
  rule('istio-revision', '1.18.5', 'a dotted revision', 'revision: 1.18.5', 'revision:'),
  rule('istio-revision', '1.24.2', 'a revision with an underscore', 'revision: canary_1', 'revision:'),
  rule('istio-profile', '1.21.6', 'profile openshift-ambient before 1.22', 'profile: openshift-ambient', 'profile:'),
  rule('istio-profile', '1.15.7', 'profile ambient on 1.15', 'profile: ambient', 'profile:'),
  rule('istio-profile', '1.21.6', 'profile stable before 1.22', 'profile: stable', 'profile:'),
  rule('istio-profile', '1.24.2', 'a profile no Istio ships', 'profile: production', 'profile:'),
  rule('istio-hub', '1.18.5', 'a hub with a scheme', 'hub: https://registry.example.com/istio', 'hub:'),
  rule('istio-hub', '1.24.2', 'a hub with a tag', 'hub: docker.io/istio:1.24.2', 'hub:'),
  rule('istio-hub', '1.30.3', 'a hub with capitals in its path', 'hub: registry.example.com/Istio', 'hub:'),
  rule('istio-gateway-name', '1.18.5', 'an ingress gateway named with capitals', 'components:\n  ingressGateways:\n  - name: Istio-IngressGateway\n    enabled: true', 'name: Istio-IngressGateway'),
  rule('istio-gateway-name', '1.24.2', 'an egress gateway named with "_"', 'components:\n  egressGateways:\n  - name: istio_egressgateway\n    enabled: true', 'name: istio_egressgateway'),
  rule('istio-proxy-ranges', '1.18.5', 'a bare IP in excludeIPRanges', 'values:\n  global:\n    proxy:\n      excludeIPRanges: 10.0.0.1', 'excludeIPRanges:'),
  rule('istio-proxy-ranges', '1.24.2', 'a word in includeIPRanges', 'values:\n  global:\n    proxy:\n      includeIPRanges: 10.0.0.0/8,cluster', 'includeIPRanges:'),
  rule('istio-proxy-ranges', '1.30.3', 'a port name in excludeInboundPorts', 'values:\n  global:\n    proxy:\n      excludeInboundPorts: 15020,metrics', 'excludeInboundPorts:'),
  rule('gateway-privileged-port', '1.18.5', 'targetPort 80 without runAsRoot', 'components:\n  ingressGateways:\n  - name: istio-ingressgateway\n    k8s:\n      service:\n        ports:\n        - name: http2\n          port: 80\n          targetPort: 80', 'targetPort: 80'),
  rule('gateway-privileged-port', '1.24.2', 'port 443 without targetPort, on an egress gateway', 'components:\n  egressGateways:\n  - name: istio-egressgateway\n    k8s:\n      service:\n        ports:\n        - name: https\n          port: 443', 'port: 443'),
  rule('gateway-privileged-port', '1.22.3', 'values ingressPorts with targetPort 80', 'values:\n  gateways:\n    istio-ingressgateway:\n      ingressPorts:\n      - port: 80\n        targetPort: 80\n        name: http2', 'targetPort: 80'),
];

describe('IstioOperator mistakes istioctl or istiod refuses or drops: each caught, by its rule, at its line', () => {
  it('has at least 60 cases', () => {
    expect(MISTAKES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(MISTAKES)('$tag: $what', ({ tag, body, rule: id, at, path, severity = 'error' }) => {
    const { findings, text } = findingsOf(tag, body);
    expect(findings.map((f) => [f.rule, f.severity, f.line])).toEqual([[id, severity, lineOf(text, at)]]);
    if (path) expect(findings[0]!.message).toContain(path);
  });
});

interface EdgeCase {
  tag: string;
  what: string;
  body: string;
  /** Warnings it gets (Istio takes the value with a caveat): how each message starts after the object name. */
  warnings?: string[];
}

const EDGE_CASES: EdgeCase[] = [
  { tag: '1.18.5', what: 'fromRegistry: Kubernetes, Istio\'s default cluster ID (capitals are valid)', body: meshNetworks('endpoints:\n- fromRegistry: Kubernetes\ngateways:\n- address: 10.0.0.20\n  port: 15443') },
  { tag: '1.24.2', what: 'a single-label registryServiceName', body: meshNetworks('endpoints:\n- fromRegistry: cluster2\ngateways:\n- registryServiceName: istio-eastwestgateway\n  port: 15443') },
  { tag: '1.22.3', what: 'a gateway port as a quoted number, and a hostname with capitals', body: meshNetworks('gateways:\n- address: GW.net2.example.com\n  port: "15443"') },
  { tag: '1.30.3', what: 'IPv6 CIDRs and addresses', body: meshNetworks('endpoints:\n- fromCidr: 2001:db8::/32\n- fromCidr: 10.2.0.1/16\ngateways:\n- address: fd00::10\n  port: 15443') },
  { tag: '1.18.5', what: 'quoted numbers where jsonpb takes them (uint32, Int32Value, double)', body: 'values:\n  pilot:\n    replicaCount: "2"\nmeshConfig:\n  defaultConfig:\n    concurrency: "2"\n    tracing:\n      sampling: "1.5"' },
  { tag: '1.18.5', what: 'Go durations jsonpb parses', body: 'meshConfig:\n  defaultConfig:\n    drainDuration: 45s\n    terminationDrainDuration: 1m30s\n  connectTimeout: 500ms' },
  { tag: '1.18.5', what: 'proto field names beside JSON names', body: 'meshConfig:\n  access_log_file: /dev/stdout\n  default_config:\n    hold_application_until_proxy_starts: true' },
  { tag: '1.18.5', what: 'values.global.oneNamespace, still there in 1.18', body: 'values:\n  global:\n    oneNamespace: false' },
  { tag: '1.18.5', what: 'spec.resourceSuffix, still there in 1.18', body: 'resourceSuffix: canary' },
  { tag: '1.29.6', what: 'fields added in 1.29 on 1.29', body: 'values:\n  pilot:\n    crlConfigMapName: crl\nmeshConfig:\n  hboneIdleTimeout: 1h' },
  { tag: '1.30.3', what: 'fields added in 1.30 on 1.30', body: 'values:\n  global:\n    enableReaderRBAC: true\n  cni:\n    useAppArmorAnnotation: true' },
  { tag: '1.24.2', what: 'Kubernetes quantities as numbers where the Kubernetes type takes them (1.24+ k8s.resources)', body: 'components:\n  pilot:\n    k8s:\n      resources:\n        requests:\n          cpu: 1' },
  { tag: '1.24.2', what: 'a named targetPort below 1024 is not checked, and runAsRoot allows a privileged one', body: 'values:\n  gateways:\n    istio-ingressgateway:\n      runAsRoot: true\ncomponents:\n  ingressGateways:\n  - name: istio-ingressgateway\n    k8s:\n      service:\n        ports:\n        - name: http2\n          port: 80\n          targetPort: 80\n        - name: https\n          port: 443\n          targetPort: https' },
  { tag: '1.18.5', what: 'an enum by its number: taken, with a warning', body: 'meshConfig:\n  outboundTrafficPolicy:\n    mode: 1', warnings: ['spec.meshConfig.outboundTrafficPolicy.mode: an enum given by its number (1)'] },
  { tag: '1.31.0', what: 'a newer Istio: checked against the newest known, its new fields warnings', body: 'values:\n  global:\n    someFieldOf131: true', warnings: ['spec.values.global: unknown field "someFieldOf131" (Istio 1.31.0 is newer than 1.30'] },
  { tag: '1.24.2', what: 'profile and hub and revision as istioctl takes them', body: 'profile: ambient\nhub: registry.example.com:5000/mirror/istio\nrevision: Canary-1' },
  { tag: '1.18.5', what: 'a hub with a tag, which the Docker reference grammar of istioctl before 1.24 takes', body: 'hub: docker.io/istio:1.18' },
  { tag: '1.30.3', what: 'a hub of one path component on Docker Hub', body: 'hub: istio' },
  { tag: '1.18.5', what: 'include/exclude ranges and ports as istioctl takes them', body: 'values:\n  global:\n    proxy:\n      includeIPRanges: "*"\n      excludeIPRanges: 10.0.0.1/32, 169.254.169.254/32\n      excludeInboundPorts: "15020, 15021"\n      includeInboundPorts: "*"' },
];

describe('versions outside the known ones', () => {
  const findings = (tag: string) => validateFiles('corpus', new Map([[FILE, istioOperator(tag, '')]])).filter((f) => f.rule === 'schema');

  it('an Istio older than 1.15 is unsupported, said once at spec.tag', () => {
    const text = istioOperator('1.14.6', '');
    expect(findings('1.14.6').map((f) => [f.severity, f.line, f.message])).toEqual([
      ['error', lineOf(text, 'tag:'), 'IstioOperator istio: spec.tag: Istio 1.14.6 is older than 1.15, the oldest version meshops knows; it is not supported, and this IstioOperator is not checked'],
    ]);
  });

  it('an Istio newer than 1.30 is checked against 1.30, and that is said once at spec.tag', () => {
    expect(findings('1.31.0').map((f) => [f.severity, f.message])).toEqual([
      ['warning', "IstioOperator istio: spec.tag: Istio 1.31.0 is newer than 1.30, the newest version meshops knows; checked against 1.30's API, fields it does not know are warnings"],
    ]);
  });
});

describe('what Istio accepts passes', () => {
  it.each(EDGE_CASES)('$tag: $what', ({ tag, body, warnings = [] }) => {
    const { findings } = findingsOf(tag, body);
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
    expect(findings.map((f) => f.message.replace(/^IstioOperator istio: /, ''))).toEqual(warnings.map((w) => expect.stringMatching(new RegExp(`^${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))));
  });
});
