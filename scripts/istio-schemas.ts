/**
 * Generates the IstioOperator JSON Schema of every Istio minor version from Istio's own definitions
 * in ../shared/istio/<minor>/ (see its README), and the per-version facts beside them:
 *
 *   node dist/scripts/istio-schemas.js [../shared/istio]   (npm run istio-schemas)
 *
 * writes schemas/istio/<minor>/istiooperator.json, schemas/istio/crds/<kind>-<hash>.json (the Istio
 * objects' CRD schemas of every minor, each distinct schema once) and schemas/istio/versions.json.
 * schemas/README.md ("IstioOperator, per Istio version", "Istio objects, per Istio version") says what
 * the schemas follow and where they deviate.
 *
 * Sources per minor:
 * - spec.values: the Values proto (operator/values_types.proto), read with protobufjs;
 * - spec.meshConfig (and values.meshConfig): MeshConfig (mesh/mesh/v1alpha1/config.proto and its imports);
 * - values.global.meshNetworks: MeshNetworks' networks (mesh/mesh/v1alpha1/network.proto), the
 *   Struct istiod parses as such;
 * - the rest of spec: IstioOperatorSpec of operator/operator.proto (1.15-1.23), or the Go structs of
 *   operator/apis/types.go (1.24+, istio/api no longer has the proto), read by readGoStructs below;
 * - Kubernetes types (tolerations, affinity, resources, ...): the vendored Kubernetes 1.30 schemas
 *   in schemas/kubernetes/.
 *
 * JSON mapping: golang/protobuf's jsonpb Unmarshaler, which istioctl uses for Values and the 1.15-1.23
 * spec (operator/apis/.../value_types_json.go; util.UnmarshalWithJSONPB), and Go's encoding/json with
 * DisallowUnknownFields for the 1.24+ spec (operator/apis/validation/validation.go).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import yaml from 'js-yaml';
import { packageRoot } from '../generator/package-root.js';
import type { CrdFacts, MinorFacts } from '../generator/schemas/istio-versions.js';
import { mapSubschemas } from './schema-nodes.js';

export type Schema = Record<string, unknown>;

const repoRoot = packageRoot();

/**
 * The Istio kinds meshops renders or reads (schemas/catalog.json's networking.istio.io kinds), whose
 * served versions and CRD schemas are recorded per minor.
 */
const CRD_GROUP = 'networking.istio.io';
const CRD_KINDS = ['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'WorkloadEntry', 'WorkloadGroup'] as const;
/** Where the CRD schemas go, relative to schemas/istio/ (and to the repository root). */
const CRD_SCHEMA_DIR = 'crds';

/**
 * Marker definitions. A subschema that references one of these fails exactly when the value is
 * accepted by Istio with a caveat. Each fails as an `enum` whose one allowed value names the caveat
 * ("warning:..."), which generator/schemas/issues.ts reports as a warning: the marker survives
 * compilation whether ajv inlines the definition or not.
 */
export const WARNING_DEFINITIONS: Readonly<Record<string, Schema>> = {
  // jsonpb takes an enum by its number as well as by its name.
  warningEnumNumber: { enum: ['warning:enum-number'] },
  // From 1.24 istiod and istioctl read MeshConfig leniently: an unknown field is dropped.
  warningDroppedMeshConfigField: { enum: ['warning:dropped-meshconfig-field'] },
};

interface MinorSources {
  minor: string;
  dir: string;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes types, cut out of the vendored standalone schemas.

function readJson(file: string): Schema {
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

/** The schema without documentation: descriptions are Kubernetes' prose and only add weight. */
function undocumented(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(undocumented);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Schema)
      .filter(([key, v]) => !((key === 'description' && typeof v === 'string') || key === '$schema' || key === 'x-kubernetes-group-version-kind'))
      .map(([key, v]) => [key, undocumented(v)]),
  );
}

function at(schema: Schema, ...keys: string[]): Schema {
  let node: unknown = schema;
  for (const key of keys) {
    node = (node as Schema | undefined)?.[key];
    if (node === undefined) throw new Error(`Kubernetes schema has no ${keys.join('.')}`);
  }
  return undocumented(node) as Schema;
}

/** Kubernetes types by Go name (k8s.io/api), each a definition `k8s.<Name>` of every schema. */
function kubernetesTypes(): Record<string, Schema> {
  const dir = path.join(repoRoot, 'schemas', 'kubernetes');
  const deployment = readJson(path.join(dir, 'deployment-apps-v1.json'));
  const service = readJson(path.join(dir, 'service-v1.json'));
  const namespace = readJson(path.join(dir, 'namespace-v1.json'));
  const pod = ['properties', 'spec', 'properties', 'template', 'properties', 'spec', 'properties'];
  const container = [...pod, 'containers', 'items', 'properties'];
  return {
    Affinity: at(deployment, ...pod, 'affinity'),
    Toleration: at(deployment, ...pod, 'tolerations', 'items'),
    PodSecurityContext: at(deployment, ...pod, 'securityContext'),
    Volume: at(deployment, ...pod, 'volumes', 'items'),
    TopologySpreadConstraint: at(deployment, ...pod, 'topologySpreadConstraints', 'items'),
    SeccompProfile: at(deployment, ...pod, 'securityContext', 'properties', 'seccompProfile'),
    NodeSelector: at(deployment, ...pod, 'affinity', 'properties', 'nodeAffinity', 'properties', 'requiredDuringSchedulingIgnoredDuringExecution'),
    Lifecycle: at(deployment, ...container, 'lifecycle'),
    EnvVar: at(deployment, ...container, 'env', 'items'),
    ResourceRequirements: at(deployment, ...container, 'resources'),
    Probe: at(deployment, ...container, 'readinessProbe'),
    VolumeMount: at(deployment, ...container, 'volumeMounts', 'items'),
    DeploymentStrategy: at(deployment, 'properties', 'spec', 'properties', 'strategy'),
    LabelSelector: at(deployment, 'properties', 'spec', 'properties', 'selector'),
    ServiceSpec: withPortRanges(at(service, 'properties', 'spec')),
    ObjectMeta: at(namespace, 'properties', 'metadata'),
  };
}

/**
 * Service ports in 1-65535: the API server's validation (IsValidPortNum) refuses others, which the
 * OpenAPI schema does not say; the Service istioctl renders from k8s.service would be refused.
 */
function withPortRanges(spec: Schema): Schema {
  constrainServicePort(((spec.properties as Record<string, Schema>).ports!.items as Schema));
  return spec;
}

/** A ServicePort (Kubernetes', or operator.proto's copy of it) with port 1-65535 and nodePort 0 (unset) to 65535. */
function constrainServicePort(servicePort: Schema): void {
  const fields = servicePort.properties as Record<string, Schema>;
  fields.port = { ...fields.port, minimum: 1, maximum: 65535 };
  fields.nodePort = { ...fields.nodePort, minimum: 0, maximum: 65535 };
}

/**
 * Kubernetes types the offline schema set has no schema for (autoscaling/v2 and policy/v1 are not
 * vendored): objects, unchecked inside.
 */
const UNVENDORED_KUBERNETES_TYPES = new Set(['HorizontalPodAutoscalerSpec', 'PodDisruptionBudgetSpec']);

function k8sRef(name: string): Schema {
  if (UNVENDORED_KUBERNETES_TYPES.has(name)) return { type: ['object', 'null'] };
  return { $ref: `#/definitions/k8s.${name}` };
}

// ---------------------------------------------------------------------------------------------
// Protobuf -> JSON Schema, with jsonpb's rules.

const NULLABLE = (types: string[]) => [...types, 'null'];
const INT_STRING = '^-?[0-9]+$';
const UINT_STRING = '^[0-9]+$';
const GO_DURATION = '^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$';
const FLOAT_STRING = '^(NaN|-?Infinity|-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)$';

/**
 * Scalars as jsonpb decodes them: every integer and float kind also as a quoted number (jsonpb's
 * unmarshalValue trims the quotes before json.Unmarshal), bools only as true/false, null = unset.
 */
function scalarSchema(type: string): Schema | undefined {
  switch (type) {
    case 'string':
      return { type: NULLABLE(['string']) };
    case 'bytes':
      return { type: NULLABLE(['string']) };
    case 'bool':
      return { type: NULLABLE(['boolean']) };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return { type: NULLABLE(['integer', 'string']), minimum: -2147483648, maximum: 2147483647, pattern: INT_STRING };
    case 'uint32':
    case 'fixed32':
      return { type: NULLABLE(['integer', 'string']), minimum: 0, maximum: 4294967295, pattern: UINT_STRING };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return { type: NULLABLE(['integer', 'string']), pattern: INT_STRING };
    case 'uint64':
    case 'fixed64':
      return { type: NULLABLE(['integer', 'string']), minimum: 0, pattern: UINT_STRING };
    case 'double':
    case 'float':
      return { type: NULLABLE(['number', 'string']), pattern: FLOAT_STRING };
    default:
      return undefined;
  }
}

/** The well-known types' JSON forms (google/protobuf/*.proto, "JSON Mapping" of the protobuf docs). */
function wellKnownSchema(fullName: string): Schema | undefined {
  switch (fullName) {
    case '.google.protobuf.Duration':
      // golang/protobuf's jsonpb reads a Duration with time.ParseDuration ("30m", "1h30m", "0"), not only "1.5s".
      return { type: NULLABLE(['string']), pattern: GO_DURATION };
    case '.google.protobuf.Timestamp':
      return { type: NULLABLE(['string']), format: 'date-time' };
    case '.google.protobuf.Struct':
      return { type: NULLABLE(['object']) };
    case '.google.protobuf.Value':
      return {};
    case '.google.protobuf.ListValue':
      return { type: NULLABLE(['array']) };
    case '.google.protobuf.Any':
      return { type: NULLABLE(['object']), properties: { '@type': { type: 'string' } } };
    case '.google.protobuf.Empty':
      return { type: NULLABLE(['object']), additionalProperties: false };
    case '.google.protobuf.BoolValue':
      return scalarSchema('bool');
    case '.google.protobuf.StringValue':
      return scalarSchema('string');
    case '.google.protobuf.BytesValue':
      return scalarSchema('bytes');
    case '.google.protobuf.Int32Value':
      return scalarSchema('int32');
    case '.google.protobuf.UInt32Value':
      return scalarSchema('uint32');
    case '.google.protobuf.Int64Value':
      return scalarSchema('int64');
    case '.google.protobuf.UInt64Value':
      return scalarSchema('uint64');
    case '.google.protobuf.DoubleValue':
      return scalarSchema('double');
    case '.google.protobuf.FloatValue':
      return scalarSchema('float');
    default:
      return undefined;
  }
}

/** The JSON name jsonpb prints and accepts beside the proto name: protoc's lowerCamelCase. */
function jsonName(field: protobuf.Field): string {
  const explicit = field.options?.json_name as string | undefined;
  if (explicit) return explicit;
  return field.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Values fields that are a Struct in the proto but Kubernetes objects to the charts, which render
 * them into Deployments and Services verbatim (so the API server decides their shape), by field name.
 * istioctl's own meshNetworks handling: values.global.meshNetworks is istiod's MeshNetworks.networks.
 */
const STRING_MAP: Schema = { type: NULLABLE(['object']), additionalProperties: { type: 'string' } };
const TYPED_STRUCTS: Readonly<Record<string, Schema>> = {
  affinity: k8sRef('Affinity'),
  tolerations: k8sRef('Toleration'), // repeated: the field's items
  defaultTolerations: k8sRef('Toleration'),
  nodeSelector: STRING_MAP,
  defaultNodeSelector: STRING_MAP,
  podAnnotations: STRING_MAP,
  serviceAnnotations: STRING_MAP,
  serviceAccountAnnotations: STRING_MAP,
  injectedAnnotations: STRING_MAP,
  podLabels: STRING_MAP,
  deploymentLabels: STRING_MAP,
  daemonSetLabels: STRING_MAP,
  meshNetworks: { type: NULLABLE(['object']), additionalProperties: { $ref: '#/definitions/istio.mesh.v1alpha1.Network' } },
};

interface ProtoOptions {
  /** Unknown MeshConfig fields are dropped (1.24+) rather than refused. */
  lenientMeshConfig: boolean;
}

class ProtoSchemas {
  readonly definitions: Record<string, Schema> = {};

  constructor(private readonly options: ProtoOptions) {}

  /** A $ref to the message's definition, generating it (and what it uses) on first use. */
  ref(type: protobuf.Type): Schema {
    const known = wellKnownSchema(type.fullName);
    if (known) return known;
    if (type.fullName.startsWith('.k8s.io.')) return k8sRef(type.name);
    const name = type.fullName.slice(1);
    if (!(name in this.definitions)) {
      this.definitions[name] = {}; // reserved first: messages may refer to themselves
      this.definitions[name] = this.message(type);
    }
    return { $ref: `#/definitions/${name}` };
  }

  private message(type: protobuf.Type): Schema {
    const properties: Record<string, Schema> = {};
    const dependencies: Record<string, Schema> = {};
    const fields = type.fieldsArray.slice().sort((a, b) => a.id - b.id);
    for (const field of fields) {
      const schema = this.field(type, field);
      for (const name of new Set([jsonName(field), field.name])) properties[name] = schema;
    }
    // A oneof takes one member: each member's names exclude the later members' names (one finding per pair).
    for (const oneof of type.oneofsArray) {
      const members = oneof.fieldsArray.slice().sort((a, b) => a.id - b.id);
      members.forEach((member, i) => {
        const later = members.slice(i + 1).flatMap((m) => [...new Set([jsonName(m), m.name])]);
        if (later.length === 0) return;
        for (const name of new Set([jsonName(member), member.name])) {
          dependencies[name] = { properties: Object.fromEntries(later.sort().map((o) => [o, false])) };
        }
      });
    }
    const isMeshConfig = type.fullName === '.istio.mesh.v1alpha1.MeshConfig';
    const schema: Schema = {
      type: NULLABLE(['object']),
      properties,
      additionalProperties: isMeshConfig && this.options.lenientMeshConfig ? { $ref: '#/definitions/warningDroppedMeshConfigField' } : false,
    };
    if (Object.keys(dependencies).length > 0) schema.dependencies = dependencies;
    return schema;
  }

  private field(owner: protobuf.Type, field: protobuf.Field): Schema {
    if (field instanceof protobuf.MapField) {
      return { type: NULLABLE(['object']), additionalProperties: this.value(owner, field, field.type, false) };
    }
    const value = this.value(owner, field, field.type, true);
    return field.repeated ? { type: NULLABLE(['array']), items: value } : value;
  }

  private value(owner: protobuf.Type, field: protobuf.Field, typeName: string, typedStructs: boolean): Schema {
    const scalar = scalarSchema(typeName);
    if (scalar) return scalar;
    const resolved = field.resolvedType ?? owner.lookupTypeOrEnum(typeName);
    if (resolved instanceof protobuf.Enum) return enumSchema(resolved);
    const type = resolved as protobuf.Type;
    if (typedStructs && type.fullName === '.google.protobuf.Struct' && TYPED_STRUCTS[field.name]) return TYPED_STRUCTS[field.name]!;
    if (field.name === 'meshConfig' && owner.fullName.endsWith('.Values')) return { $ref: '#/definitions/istio.mesh.v1alpha1.MeshConfig' };
    if (type.fullName.endsWith('.IntOrString')) {
      // value_types_json.go: a quoted value is the string, anything else an int32.
      return { type: NULLABLE(['integer', 'string']), minimum: -2147483648, maximum: 2147483647 };
    }
    return this.ref(type);
  }
}

/** jsonpb takes an enum's name, or (a warning here) its number. */
function enumSchema(e: protobuf.Enum): Schema {
  const names = Object.keys(e.values).sort((a, b) => e.values[a]! - e.values[b]! || (a < b ? -1 : 1));
  return {
    type: NULLABLE(['string', 'integer']),
    if: { type: 'string' },
    then: { enum: names },
    else: { $ref: '#/definitions/warningEnumNumber' },
  };
}

/** A protobufjs root holding the files below `includeRoot` that `entry` imports, directly or not. */
function loadProtos(includeRoots: string[], entries: string[]): protobuf.Root {
  const root = new protobuf.Root();
  // Imports outside the copied set (google/api annotations, Kubernetes' generated.proto) are left
  // out: they only carry options, or types declared below as placeholders resolved to schemas.
  root.resolvePath = (_origin, target) => {
    if (path.isAbsolute(target)) return target;
    for (const dir of includeRoots) {
      const file = path.join(dir, target);
      if (existsSync(file)) return file;
    }
    return null as unknown as string;
  };
  for (const [pkg, names] of Object.entries(KUBERNETES_PROTO_TYPES)) {
    const ns = root.define(pkg);
    for (const name of names) ns.add(new protobuf.Type(name));
  }
  root.loadSync(entries, { keepCase: true });
  root.resolveAll();
  return root;
}

/** The Kubernetes messages Istio's protos (operator.proto, values_types.proto, MeshConfig) use from generated.proto files. */
const KUBERNETES_PROTO_TYPES: Readonly<Record<string, string[]>> = {
  'k8s.io.api.core.v1': ['Affinity', 'Lifecycle', 'NodeSelector', 'SeccompProfile', 'Toleration', 'TopologySpreadConstraint', 'Volume', 'VolumeMount'],
  'k8s.io.apimachinery.pkg.apis.meta.v1': ['LabelSelector'],
};

// ---------------------------------------------------------------------------------------------
// Go structs of operator/apis/types.go (1.24+).

export interface GoField {
  /** The JSON key (json tag, or the Go name when untagged). */
  json: string;
  /** The Go type as written, e.g. `*KubernetesResources`, `[]*corev1.EnvVar`, `map[string]string`. */
  type: string;
  /** An embedded struct whose fields are promoted (`ComponentSpec` inside GatewayComponentSpec). */
  embedded: boolean;
}

/**
 * Reads `type X struct { ... }` declarations: each field's Go type and JSON key. Fields tagged
 * `json:"-"` are left out; `json:",inline"` and untagged embedded fields are embedded. This is all
 * of Go's syntax types.go uses (a generated file: one field per line).
 */
export function readGoStructs(source: string): Map<string, GoField[]> {
  const structs = new Map<string, GoField[]>();
  const declaration = /^type (\w+) struct \{\n([\s\S]*?)^\}/gm;
  for (const match of source.matchAll(declaration)) {
    const fields: GoField[] = [];
    for (const raw of match[2]!.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const parsed = /^(?:(\w+)\s+)?([^\s`]+)\s*(?:`(.*)`)?$/.exec(line);
      if (!parsed) throw new Error(`types.go: cannot read struct field "${line}" of ${match[1]}`);
      const [, name, type, tag = ''] = parsed;
      const json = /json:"([^"]*)"/.exec(tag)?.[1];
      const key = json?.split(',')[0];
      if (key === '-') continue;
      const embedded = !name;
      if (embedded && key) {
        fields.push({ json: key, type: type!, embedded: false });
        continue;
      }
      fields.push({ json: embedded ? '' : key || name!, type: type!, embedded });
    }
    structs.set(match[1]!, fields);
  }
  return structs;
}

/** Go types of types.go that are not structs of that file, as JSON Schema. */
function goTypeSchema(type: string, structs: Map<string, GoField[]>, definitions: Record<string, Schema>, protoRef: (name: 'Values' | 'MeshConfig') => Schema, field: string): Schema {
  if (type.startsWith('*')) return goTypeSchema(type.slice(1), structs, definitions, protoRef, field);
  if (type.startsWith('[]')) return { type: NULLABLE(['array']), items: goTypeSchema(type.slice(2), structs, definitions, protoRef, field) };
  if (type === 'map[string]string') return STRING_MAP;
  if (type === 'map[string]any') return { type: NULLABLE(['object']) };
  // Go's encoding/json: numbers only for ints; json.RawMessage and any take anything.
  switch (type) {
    case 'string':
      return { type: NULLABLE(['string']) };
    case 'bool':
    case 'BoolValue':
      return { type: NULLABLE(['boolean']) };
    case 'uint32':
      return { type: NULLABLE(['integer']), minimum: 0, maximum: 4294967295 };
    case 'int32':
      return { type: NULLABLE(['integer']), minimum: -2147483648, maximum: 2147483647 };
    case 'any':
      return {};
    case 'json.RawMessage':
      // validation.go decodes spec.values into the Values proto (jsonpb) and spec.meshConfig into MeshConfig.
      if (field === 'values') return protoRef('Values');
      if (field === 'meshConfig') return protoRef('MeshConfig');
      throw new Error(`types.go: no schema known for json.RawMessage field "${field}"`);
  }
  const qualified = /^(corev1|appsv1|autoscaling|policy|metav1)\.(\w+)$/.exec(type);
  if (qualified) return k8sRef(qualified[2]!);
  const fields = structs.get(type);
  if (!fields) throw new Error(`types.go: no schema known for Go type "${type}"`);
  const name = `operator.${type}`;
  if (!(name in definitions)) {
    definitions[name] = {};
    definitions[name] = goStructSchema(type, structs, definitions, protoRef);
  }
  return { $ref: `#/definitions/${name}` };
}

function goStructSchema(type: string, structs: Map<string, GoField[]>, definitions: Record<string, Schema>, protoRef: (name: 'Values' | 'MeshConfig') => Schema): Schema {
  const properties: Record<string, Schema> = {};
  const collect = (name: string) => {
    for (const field of structs.get(name) ?? []) {
      if (field.embedded) {
        if (structs.has(field.type)) collect(field.type);
        else if (field.type === 'metav1.TypeMeta') Object.assign(properties, { apiVersion: { type: 'string' }, kind: { type: 'string' } });
        else throw new Error(`types.go: cannot embed ${field.type} in ${name}`);
        continue;
      }
      properties[field.json] = goTypeSchema(field.type, structs, definitions, protoRef, field.json);
    }
  };
  collect(type);
  return { type: NULLABLE(['object']), properties, additionalProperties: false };
}

// ---------------------------------------------------------------------------------------------
// One minor.

function minorsOf(sharedIstio: string): MinorSources[] {
  return readdirSync(sharedIstio)
    .filter((d) => /^1\.\d+$/.test(d))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .map((minor) => ({ minor, dir: path.join(sharedIstio, minor) }));
}

function minorNumber(minor: string): number {
  return Number(minor.split('.')[1]);
}

export function operatorSchema({ minor, dir }: MinorSources, k8s: Record<string, Schema>): Schema {
  const lenientMeshConfig = minorNumber(minor) >= 24;
  const schemas = new ProtoSchemas({ lenientMeshConfig });
  const meshRoot = loadProtos([path.join(dir, 'mesh')], ['mesh/v1alpha1/config.proto', 'mesh/v1alpha1/network.proto'].map((f) => path.join(dir, 'mesh', f)));
  const valuesRoot = loadProtos([path.join(dir, 'operator')], [path.join(dir, 'operator', 'values_types.proto')]);
  const valuesType = valuesRoot.lookupType(minorNumber(minor) >= 24 ? 'istio.operator.v1alpha1.Values' : 'v1alpha1.Values');
  const meshConfig = schemas.ref(meshRoot.lookupType('istio.mesh.v1alpha1.MeshConfig'));
  schemas.ref(meshRoot.lookupType('istio.mesh.v1alpha1.Network'));
  const values = schemas.ref(valuesType);
  const protoRef = (name: 'Values' | 'MeshConfig') => (name === 'Values' ? values : meshConfig);

  let spec: Schema;
  let status: Schema | undefined;
  if (existsSync(path.join(dir, 'operator', 'operator.proto'))) {
    const operatorRoot = loadProtos([path.join(dir, 'operator')], [path.join(dir, 'operator', 'operator.proto')]);
    spec = schemas.ref(operatorRoot.lookupType('istio.operator.v1alpha1.IstioOperatorSpec'));
    status = schemas.ref(operatorRoot.lookupType('istio.operator.v1alpha1.InstallStatus'));
    // The proto's Structs that istioctl decodes further (validate/validate.go, validate_values.go).
    constrainServicePort(schemas.definitions['istio.operator.v1alpha1.ServicePort']!);
    const specDef = schemas.definitions['istio.operator.v1alpha1.IstioOperatorSpec']!;
    const props = specDef.properties as Record<string, Schema>;
    props.values = values;
    props.meshConfig = meshConfig;
  } else {
    const structs = readGoStructs(readFileSync(path.join(dir, 'operator', 'apis', 'types.go'), 'utf8'));
    spec = goTypeSchema('IstioOperatorSpec', structs, schemas.definitions, protoRef, 'spec');
  }

  const definitions: Record<string, Schema> = { ...schemas.definitions };
  for (const [name, schema] of Object.entries(k8s)) definitions[`k8s.${name}`] = schema;
  Object.assign(definitions, WARNING_DEFINITIONS);
  const used = reachable(definitions, { spec, status });
  const top: Schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    description: `install.istio.io/v1alpha1 IstioOperator as istioctl ${readFileSync(path.join(dir, 'VERSION'), 'utf8').split('\n')[0]} reads it. Generated by scripts/istio-schemas.ts from ../shared/istio/${minor}/; do not edit.`,
    type: 'object',
    properties: {
      apiVersion: { enum: ['install.istio.io/v1alpha1'] },
      kind: { enum: ['IstioOperator'] },
      metadata: { $ref: '#/definitions/k8s.ObjectMeta' },
      spec,
      ...(status ? { status } : {}),
    },
    required: ['apiVersion', 'kind'],
    additionalProperties: false,
    definitions: Object.fromEntries([...used].sort().map((name) => [name, definitions[name]!])),
  };
  return top;
}

/** The definitions a schema refers to, directly or not. */
function reachable(definitions: Record<string, Schema>, start: unknown): Set<string> {
  const seen = new Set<string>(['k8s.ObjectMeta']);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.slice('#/definitions/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          walk(definitions[name]);
        }
      } else walk(value);
    }
  };
  walk(start);
  walk(definitions['k8s.ObjectMeta']);
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Per-version facts and the Istio objects' CRD schemas.

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Schema };
}

/**
 * A CRD version's openAPIV3Schema as a strict JSON Schema, the way schemas/crds/ is made strict
 * (scripts/vendor-schemas.ts): an object schema that declares properties and says nothing of others
 * is closed, unless the CRD keeps unknown fields there (x-kubernetes-preserve-unknown-fields, as
 * on `status`). OpenAPI's `nullable` becomes a null type, an int-or-string field without a type
 * takes both, and a field listed twice in `required` is listed once. The top level pins the kind and takes Kubernetes' strict ObjectMeta as metadata; its
 * apiVersion is checked against the versions the minor serves by the validator, so the versions of
 * one CRD, whose schemas are the same, share one file.
 */
export function crdJsonSchema(openApi: Schema, kind: string, objectMeta: Schema): Schema {
  const strict = (node: Schema): Schema => {
    const out = mapSubschemas(node, strict);
    const preserves = out['x-kubernetes-preserve-unknown-fields'] === true;
    if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
    if (out['x-kubernetes-int-or-string'] === true && out.type === undefined && out.anyOf === undefined) out.type = ['integer', 'string'];
    // Some CRDs list a required field more than once (WorkloadEntry's spec in 1.22-1.23); JSON Schema wants each once.
    if (Array.isArray(out.required)) out.required = [...new Set(out.required)];
    for (const key of Object.keys(out)) if (key === 'nullable' || key.startsWith('x-kubernetes-')) delete out[key];
    if (out.properties !== undefined && out.additionalProperties === undefined && !preserves) out.additionalProperties = false;
    return out;
  };
  const schema = strict(undocumented(openApi) as Schema);
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = (schema.properties ?? {}) as Schema;
  return {
    ...schema,
    properties: { apiVersion: { type: 'string' }, kind: { enum: [kind] }, metadata: objectMeta, ...rest },
  };
}

/** The file a CRD schema is stored in: named by kind and content, so identical schemas of several minors are one file. */
function crdSchemaFile(kind: string, text: string): string {
  return `${CRD_SCHEMA_DIR}/${kind.toLowerCase()}-${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`;
}

/** A minor's facts; its CRD schemas are added to `schemaFiles` (file under schemas/istio/ -> text). */
function minorFacts({ dir }: MinorSources, objectMeta: Schema, schemaFiles: Map<string, string>): MinorFacts {
  const release = readFileSync(path.join(dir, 'VERSION'), 'utf8').split('\n')[0]!.trim();
  const profiles = readdirSync(path.join(dir, 'profiles'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
  const crds: Record<string, CrdFacts> = {};
  for (const doc of yaml.loadAll(readFileSync(path.join(dir, 'crds', 'crd-all.gen.yaml'), 'utf8'))) {
    const crd = doc as { spec?: { group?: string; names?: { kind?: string }; versions?: CrdVersion[] } } | null;
    const kind = crd?.spec?.names?.kind;
    if (crd?.spec?.group !== CRD_GROUP || !kind || !(CRD_KINDS as readonly string[]).includes(kind)) continue;
    const versions = crd.spec.versions ?? [];
    const schemas: Record<string, string> = {};
    for (const version of versions.filter((v) => v.served).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const openApi = version.schema?.openAPIV3Schema;
      if (!openApi) throw new Error(`${dir}/crds/crd-all.gen.yaml: ${kind} ${version.name} has no openAPIV3Schema`);
      const text = `${JSON.stringify(crdJsonSchema(openApi, kind, objectMeta), null, 1)}\n`;
      const file = crdSchemaFile(kind, text);
      schemaFiles.set(file, text);
      schemas[version.name] = file;
    }
    crds[kind] = { group: CRD_GROUP, storage: versions.find((v) => v.storage)?.name ?? '', schemas };
  }
  return { release, profiles, crds: Object.fromEntries(Object.entries(crds).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

// ---------------------------------------------------------------------------------------------

/** Every file the script writes, by path relative to the repository root, with its content. */
export function generate(sharedIstio: string): Map<string, string> {
  const k8s = kubernetesTypes();
  const out = new Map<string, string>();
  const facts: Record<string, MinorFacts> = {};
  const crdSchemas = new Map<string, string>();
  for (const sources of minorsOf(sharedIstio)) {
    out.set(`schemas/istio/${sources.minor}/istiooperator.json`, `${JSON.stringify(operatorSchema(sources, k8s), null, 1)}\n`);
    facts[sources.minor] = minorFacts(sources, k8s.ObjectMeta!, crdSchemas);
  }
  for (const [file, text] of [...crdSchemas].sort(([a], [b]) => (a < b ? -1 : 1))) out.set(`schemas/istio/${file}`, text);
  out.set('schemas/istio/versions.json', `${JSON.stringify({ generatedBy: 'scripts/istio-schemas.ts', minors: facts }, null, 2)}\n`);
  return out;
}

export function defaultSharedIstio(): string {
  return path.resolve(repoRoot, '..', 'shared', 'istio');
}

function main(): void {
  const shared = path.resolve(process.argv[2] ?? defaultSharedIstio());
  if (!existsSync(shared)) {
    console.error(`istio-schemas: ${shared} not found (the copy of Istio's definitions, see ../shared/istio/README.md)`);
    process.exit(2);
  }
  const files = generate(shared);
  // CRD schema files are named by their content: the ones no minor uses any more go.
  rmSync(path.join(repoRoot, 'schemas', 'istio', CRD_SCHEMA_DIR), { recursive: true, force: true });
  for (const [file, text] of files) {
    const target = path.join(repoRoot, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  console.log(`wrote ${files.size} files under schemas/istio/ from ${shared}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
