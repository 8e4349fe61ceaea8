/**
 * A revisioned control plane is exposed the way Istio's samples/multicluster/expose-istiod-rev.yaml.tmpl
 * does it, for the minor versions whose sample is in ../shared/istio (skipped where it is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, renderFiles } from './helpers.js';

const SHARED_ISTIO = path.join(REPO_ROOT, '..', 'shared', 'istio');
if (!existsSync(SHARED_ISTIO)) console.warn(`skipping the tests that read Istio's own files: ${SHARED_ISTIO} is missing (a clone without ../shared)`);
const REVISION = 'canary';

function environment(version: string) {
  return {
    apiVersion: 'meshops.dev/v1alpha1',
    kind: 'MeshEnvironment',
    metadata: { name: 'rev' },
    spec: {
      meshID: 'mesh1',
      istio: { version, revision: REVISION, install: 'istioctl' },
      clusters: [
        { name: 'primary1', role: 'primary', network: 'net1', eastWestGateway: { address: '10.0.0.10' } },
        { name: 'remote1', role: 'remote', network: 'net1' },
      ],
    },
  };
}

describe.each(['1.18.7', '1.22.8', '1.26.8', '1.30.3'])('Istio %s with a revision', (version) => {
  const minor = version.split('.').slice(0, 2).join('.');
  const sample = path.join(SHARED_ISTIO, minor, 'samples', 'multicluster', 'expose-istiod-rev.yaml.tmpl');

  it.skipIf(!existsSync(sample))("exposes istiod as expose-istiod-rev.yaml.tmpl: one istiod-gateway, the revision's VirtualService by SNI", () => {
    const [gateway, vs] = parseAllDocuments(readFileSync(sample, 'utf8').replaceAll('{{.Revision}}', REVISION)).map((d) => d.toJS());
    const files = renderFiles(environment(version));
    const rendered = (kind: string) => parseAllDocuments(files.get(`clusters/primary1/${kind}.yaml`)!).map((d) => d.toJS());
    const [renderedGateway] = rendered('gateway');
    const [renderedVs] = rendered('virtualservice');
    expect(renderedGateway.metadata.name).toBe(gateway.metadata.name);
    expect(renderedGateway.spec.servers.map((s: any) => [s.port.name, s.port.number, s.tls.mode, s.hosts])).toEqual(
      gateway.spec.servers.map((s: any) => [s.port.name, s.port.number, s.tls.mode, s.hosts]),
    );
    expect(renderedVs.metadata.name).toBe(vs.metadata.name);
    expect(renderedVs.spec).toEqual(vs.spec);
  });
});
