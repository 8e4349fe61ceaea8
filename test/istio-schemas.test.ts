/**
 * The per-version IstioOperator schemas (schemas/istio/, scripts/istio-schemas.ts): the committed
 * files are what the script makes of ../shared/istio, they cover 1.15-1.30 without gaps, and every
 * IstioOperator and MeshConfig Istio itself ships validates against its own version's schema.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkIstioOperator, checkIstioOverlay } from '../generator/schemas/istio-operator.js';
import { chooseMinor, hasProfile, knownMinors, servedApiVersions } from '../generator/schemas/istio-versions.js';
import { defaultSharedIstio, generate, readGoStructs } from '../scripts/istio-schemas.js';
import { checkOverlay } from '../generator/model/overlays.js';
import { REPO_ROOT } from './helpers.js';

const SHARED = defaultSharedIstio();
const haveShared = existsSync(SHARED);
if (!haveShared) console.warn(`skipping the tests that read Istio's own files: ${SHARED} is missing (see ../shared/istio/README.md)`);

describe('schemas/istio: generated from Istio\'s own definitions', () => {
  it.skipIf(!haveShared)('holds exactly what scripts/istio-schemas.ts writes (run `npm run istio-schemas` after changing it)', () => {
    const files = generate(SHARED);
    expect(files.size).toBe(17 + readdirSync(path.join(REPO_ROOT, 'schemas', 'istio', 'crds')).length);
    for (const [file, text] of files) expect(readFileSync(path.join(REPO_ROOT, file), 'utf8'), file).toBe(text);
    const committed = readdirSync(path.join(REPO_ROOT, 'schemas', 'istio'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)));
    expect(committed.sort()).toEqual([...files.keys()].sort());
  });

  it('knows every minor from 1.15 to 1.30, without gaps', () => {
    expect(knownMinors()).toEqual(Array.from({ length: 16 }, (_, i) => `1.${15 + i}`));
  });

  it.skipIf(!haveShared)('reads the Go structs of types.go (1.24+) field by field, embedded structs and json:"-" included', () => {
    const structs = readGoStructs(readFileSync(path.join(SHARED, '1.24', 'operator', 'apis', 'types.go'), 'utf8'));
    expect(structs.get('GatewayComponentSpec')).toEqual([
      { json: '', type: 'ComponentSpec', embedded: true },
      { json: 'name', type: 'string', embedded: false },
      { json: 'label', type: 'map[string]string', embedded: false },
    ]);
    // Raw is `json:"-"`: not a field of the JSON form.
    expect(structs.get('ComponentSpec')!.map((f) => f.json)).toEqual(['enabled', 'namespace', 'hub', 'tag', 'k8s']);
    expect(structs.get('IstioOperatorSpec')!.map((f) => f.json)).toEqual([
      'profile', 'installPackagePath', 'hub', 'tag', 'namespace', 'revision', 'compatibilityVersion', 'meshConfig', 'components', 'values', 'unvalidatedValues',
    ]);
  });

  it('records per minor the profiles and the served networking API versions', () => {
    expect(hasProfile('1.15', 'remote')).toBe(false);
    expect(hasProfile('1.16', 'remote')).toBe(true);
    expect(hasProfile('1.21', 'stable')).toBe(false);
    expect(hasProfile('1.22', 'stable')).toBe(true);
    expect(servedApiVersions('1.15', 'Gateway')).not.toContain('v1');
    expect(servedApiVersions('1.22', 'Gateway')).toContain('v1');
    expect(servedApiVersions('1.30', 'WorkloadGroup')).toContain('v1');
  });

  it('picks the schema by version: known, newer, older, or not a version', () => {
    expect(chooseMinor('1.18.5')).toEqual({ relation: 'known', minor: '1.18' });
    expect(chooseMinor('1.15.3-mspider')).toEqual({ relation: 'known', minor: '1.15' });
    expect(chooseMinor(1.22)).toEqual({ relation: 'known', minor: '1.22' });
    expect(chooseMinor('1.31.0-rc.0')).toEqual({ relation: 'newer', minor: '1.30', newest: '1.30' });
    expect(chooseMinor('1.14.6')).toEqual({ relation: 'older', oldest: '1.15' });
    expect(chooseMinor(undefined)).toEqual({ relation: 'unstated', minor: '1.30' });
    expect(chooseMinor('latest')).toEqual({ relation: 'unstated', minor: '1.30' });
  });
});

describe('overlays of values and meshConfig (for istio.values / istio.meshConfig at render time)', () => {
  it('are checked against the version\'s schema, with paths relative to the overlay', () => {
    expect(checkIstioOverlay('values', { pilot: { resources: { requests: { cpu: 1 } } } }, '1.24.2').issues).toEqual([
      { path: ['pilot', 'resources', 'requests', 'cpu'], severity: 'error', message: 'values.pilot.resources.requests.cpu: must be string, got 1' },
    ]);
    expect(checkIstioOverlay('values', { global: { oneNamespace: true } }, '1.18.5').issues).toEqual([]);
    expect(checkIstioOverlay('values', { global: { oneNamespace: true } }, '1.24.2').issues.map((i) => [i.path, i.severity])).toEqual([[['global', 'oneNamespace'], 'error']]);
    expect(checkIstioOverlay('meshConfig', { accessLogFile: '/dev/stdout', accessLogFormatt: 'x' }, '1.24.2').issues.map((i) => [i.path, i.severity])).toEqual([[['accessLogFormatt'], 'warning']]);
    expect(checkIstioOverlay('meshConfig', { accessLogFile: '/dev/stdout', accessLogFormatt: 'x' }, '1.23.6').issues.map((i) => [i.path, i.severity])).toEqual([[['accessLogFormatt'], 'error']]);
  });

  it('are what the model\'s overlay check refuses, beside the fields meshops derives', () => {
    expect(checkOverlay('1.24.2', 'values', { pilot: { resources: { requests: { cpu: 1 } } } })).toEqual([
      { path: ['pilot', 'resources', 'requests', 'cpu'], message: 'values.pilot.resources.requests.cpu: must be string, got 1' },
    ]);
    expect(checkOverlay('1.24.2', 'meshConfig', { accessLogFile: '/dev/stdout' })).toEqual([]);
  });
});

describe.skipIf(!haveShared)('what Istio ships validates against its own version', () => {
  it.each(knownMinors())('every profile of %s', (minor) => {
    const dir = path.join(SHARED, minor, 'profiles');
    const profiles = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(profiles.length).toBeGreaterThan(5);
    for (const file of profiles) {
      const doc = yaml.load(readFileSync(path.join(dir, file), 'utf8'));
      if (doc === undefined || doc === null) continue; // empty.yaml
      expect(checkIstioOperator(doc, `${minor}.0`).issues, `${minor}/profiles/${file}`).toEqual([]);
    }
  });

  it.each(knownMinors())('the MeshConfig inputs of istioctl\'s VM tests in %s', (minor) => {
    const root = path.join(SHARED, minor, 'vmconfig-testdata');
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name === 'meshconfig.yaml');
    for (const entry of files) {
      const meshConfig = yaml.load(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
      expect(checkIstioOverlay('meshConfig', meshConfig, `${minor}.0`).issues, path.join(entry.parentPath, entry.name)).toEqual([]);
    }
  });
});
