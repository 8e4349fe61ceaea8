/**
 * The per-minor choices generator/schemas/istio-render-choices.ts derives from the generated facts
 * (schemas/istio/versions.json), held against Istio's own files of each minor in
 * ../shared/istio/<minor>/ (skipped where they are absent), and the install values meshops renders
 * against each minor's values_types.proto.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { externalIstiodEnv } from '../generator/istio/charts.js';
import { knownMinorRange, RENDERED_NETWORKING_KINDS, renderChoices } from '../generator/schemas/istio-render-choices.js';
import { knownMinors } from '../generator/schemas/istio-versions.js';
import { REPO_ROOT, renderFiles } from './helpers.js';

const SHARED_ISTIO = path.join(REPO_ROOT, '..', 'shared', 'istio');
if (!existsSync(SHARED_ISTIO)) console.warn(`skipping the tests that read Istio's own files: ${SHARED_ISTIO} is missing (a clone without ../shared)`);
/** Every values field meshops writes into an IstioOperator or the istiod chart (render/istio-operator.ts, helm-values.ts). */
const RENDERED_VALUES = ['meshID', 'multiCluster', 'clusterName', 'network', 'meshNetworks', 'remotePilotAddress', 'externalIstiod', 'configCluster', 'injectionPath', 'injectionTemplate', 'env', 'hub', 'tag'];

describe.each(knownMinors())('Istio %s', (minor) => {
  const dir = path.join(SHARED_ISTIO, minor);
  const row = renderChoices(`${minor}.0`);

  it.skipIf(!existsSync(path.join(dir, 'profiles')))('remote profile: the one its profiles/ has', () => {
    const profiles = readdirSync(path.join(dir, 'profiles'));
    expect(profiles).toContain(`${row.remoteProfile}.yaml`);
    // `external` only where there is no `remote` yet.
    if (row.remoteProfile === 'external') expect(profiles).not.toContain('remote.yaml');
    const profile = parseAllDocuments(readFileSync(path.join(dir, 'profiles', `${row.remoteProfile}.yaml`), 'utf8'))[0]!.toJS();
    // A cluster without istiod: the istiodRemote component up to 1.23, the charts' remote profile from 1.24.
    expect(profile.spec.components.istiodRemote?.enabled === true || profile.spec.values?.profile === 'remote').toBe(true);
  });

  it.skipIf(!existsSync(path.join(dir, 'crds', 'crd-all.gen.yaml')))('networking API version: the newest its CRDs serve for every kind meshops renders', () => {
    const crds = parseAllDocuments(readFileSync(path.join(dir, 'crds', 'crd-all.gen.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d?.spec?.group === 'networking.istio.io' && RENDERED_NETWORKING_KINDS.includes(d.spec.names.kind));
    expect(crds.map((d) => d.spec.names.kind).sort()).toEqual([...RENDERED_NETWORKING_KINDS].sort());
    const order = ['v1', 'v1beta1', 'v1alpha3'];
    const newestServedByAll = order.find((v) => crds.every((d) => d.spec.versions.some((x: any) => x.name === v && x.served)));
    expect(`networking.istio.io/${newestServedByAll}`).toBe(row.networking);
  });

  it.skipIf(!existsSync(path.join(dir, 'operator', 'values_types.proto')))('has every values field meshops renders', () => {
    const proto = readFileSync(path.join(dir, 'operator', 'values_types.proto'), 'utf8');
    for (const field of RENDERED_VALUES) expect(proto, field).toMatch(new RegExp(`\\b${field}\\s*=\\s*\\d+`));
  });
});

describe('version lookups', () => {
  it("takes a version's minor row, vendor suffixes aside; newer minors render as the newest known", () => {
    expect(renderChoices('1.15.3-mspider').remoteProfile).toBe('external');
    expect(renderChoices('1.22.0').networking).toBe('networking.istio.io/v1');
    expect(renderChoices('1.31.0')).toEqual(renderChoices(`${knownMinorRange().newest}.0`));
    expect(renderChoices('1.31.0').minor).toBe('1.30');
  });

  it('renders a 1.23.0 primary serving a remote with EXTERNAL_ISTIOD "true" beside global.externalIstiod', () => {
    const files = renderFiles({
      apiVersion: 'meshops.dev/v1alpha1',
      kind: 'MeshEnvironment',
      metadata: { name: 'v1230' },
      spec: {
        meshID: 'mesh1',
        istio: { version: '1.23.0', install: 'istioctl' },
        clusters: [
          { name: 'primary1', role: 'primary', network: 'net1', eastWestGateway: { address: '10.0.0.10' } },
          { name: 'remote1', role: 'remote', network: 'net1' },
        ],
      },
    });
    const iop = parseAllDocuments(files.get('clusters/primary1/istio-operator.yaml')!)[0]!.toJS();
    expect(iop.spec.values.pilot.env.EXTERNAL_ISTIOD).toBe('true');
    expect(iop.spec.values.global.externalIstiod).toBe(true);
  });

  it('writes EXTERNAL_ISTIOD as the string "true" on exactly 1.23.0, whose istiod chart cannot compare a boolean', () => {
    expect(externalIstiodEnv('1.23.0')).toBe('true');
    expect(externalIstiodEnv('1.23.0-distroless')).toBe('true');
    expect(externalIstiodEnv('1.23.1')).toBe(true);
    expect(externalIstiodEnv('1.22.0')).toBe(true);
  });
});
