/**
 * istiod's validation of meshNetworks (values.global.meshNetworks), which istioctl passes through
 * unchecked: istio/istio pkg/config/validation/agent/validation.go `ValidateMeshNetworks` and
 * `validateNetwork` (pkg/config/validation/validation.go before 1.18), with `ValidateIPSubnet`,
 * `ValidateIPAddress` (Go's net.ParseCIDR / net.ParseIP), `ValidateFQDN`, `ValidatePort`, and
 * pkg/config/labels/instance.go `IsDNS1123Label` (which admits capitals). The shape (which fields,
 * their types, one of fromCidr/fromRegistry) is the schema's, from MeshNetworks' proto; this module
 * checks the values.
 */
import ipaddr from 'ipaddr.js';
import type { FieldPath } from '../findings.js';
import type { SchemaIssue } from './issues.js';
import { pathText, shown } from './issues.js';
import { asObject, type JsonObject } from '../json.js';

/** pkg/config/labels: `[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?`, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(value);
}

/** ValidateFQDN: at most 255 characters, labels as above, a trailing dot allowed, the last label not all digits. */
export function isFqdn(value: string): boolean {
  if (value.length === 0 || value.length > 255) return false;
  const labels = value.split('.');
  if (/^[0-9]+$/.test(labels.at(-1)!)) return false; // strconv.Atoi would also take a sign; labels cannot have one
  return labels.every((label, i) => (i === labels.length - 1 && label === '') || isDns1123Label(label));
}

/**
 * Go's net.ParseIP: dotted-quad IPv4 (four decimal parts, no leading zeros, since Go 1.17) or IPv6
 * (an embedded IPv4 allowed, no zone).
 */
export function isIpAddress(value: string): boolean {
  // isValidFourPartDecimal: four decimal parts 0-255 without leading zeros.
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return true;
  if (value.includes('%') || !value.includes(':')) return false;
  if (!ipaddr.IPv6.isValid(value)) return false;
  const embedded = /:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  return !embedded || isIpAddress(embedded[1]!);
}

/** ValidateIPSubnet: "a.b.c.d/n" or "x::/n" as net.ParseCIDR takes them (the host bits may be set), else an IP address. */
export function isIpSubnet(value: string): boolean {
  const parts = value.split('/');
  if (parts.length !== 2) return parts.length === 1 && isIpAddress(value);
  const [address, prefix] = parts as [string, string];
  if (!isIpAddress(address) || !/^[0-9]+$/.test(prefix)) return false;
  return Number(prefix) <= (address.includes(':') ? 128 : 32);
}

/** A check remembered per value: a fleet repeats the same addresses in every cluster's meshNetworks. */
function remembered(check: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = check(value);
      answers.set(value, answer);
    }
    return answer;
  };
}

const validSubnet = remembered(isIpSubnet);
const validGatewayAddress = remembered((value) => isIpAddress(value) || isFqdn(value));
const validServiceName = remembered(isFqdn);



/** A field under both of its names (JSON and proto name are the same for these fields). */
function stringAt(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The issues of a meshNetworks map (network name -> {endpoints, gateways}) at `base`. An empty or
 * missing gateway address or port is left to rule mesh-networks-complete, so that each defect is
 * reported once.
 */
export function meshNetworksIssues(meshNetworks: unknown, base: FieldPath): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const report = (path: FieldPath, what: string, value: unknown) => issues.push({ path, severity: 'error', message: `${pathText(path)}: ${what}, got ${shown(value)}` });
  const networks = asObject(meshNetworks) ?? {};
  for (const name of Object.keys(networks).sort()) {
    const network = asObject(networks[name]) ?? {};
    const endpoints = Array.isArray(network.endpoints) ? network.endpoints : [];
    endpoints.forEach((entry, i) => {
      const endpoint = asObject(entry) ?? {};
      const at: FieldPath = [...base, name, 'endpoints', i];
      const cidr = stringAt(endpoint, 'fromCidr');
      if (cidr !== undefined && !validSubnet(cidr)) report([...at, 'fromCidr'], 'must be a CIDR block (a.b.c.d/n, x::/n) or an IP address, as istiod parses it', cidr);
      const registry = stringAt(endpoint, 'fromRegistry');
      if (registry !== undefined && !isDns1123Label(registry)) {
        report([...at, 'fromRegistry'], 'must be a cluster ID (istiod: a DNS-1123 label, letters of either case, digits and "-", at most 63 characters)', registry);
      }
    });
    const gateways = Array.isArray(network.gateways) ? network.gateways : [];
    gateways.forEach((entry, i) => {
      const gateway = asObject(entry) ?? {};
      const at: FieldPath = [...base, name, 'gateways', i];
      const address = stringAt(gateway, 'address');
      if (address !== undefined && !validGatewayAddress(address)) report([...at, 'address'], 'must be an IP address or a hostname', address);
      const service = stringAt(gateway, 'registryServiceName');
      if (service !== undefined && !validServiceName(service)) report([...at, 'registryServiceName'], 'must be the name of the gateway Service (e.g. istio-eastwestgateway.istio-system.svc.cluster.local)', service);
      const port = gateway.port;
      const number = typeof port === 'number' ? port : typeof port === 'string' && /^[0-9]+$/.test(port) ? Number(port) : undefined;
      if (number !== undefined && (number < 1 || number > 65535)) report([...at, 'port'], 'must be a port number 1-65535', port);
    });
  }
  return issues;
}
