import { describe, expect, it } from 'vitest';
import { asmMigrationState, transitionProblems } from '../../policies/asm-migration-state.js';
import { asmEnvironment } from '../environments.js';
import { model, mutate, renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('asm-migration-state over a rendered tree', () => {
  it('finds nothing in a rendered ASM migration, Finished included once no traffic goes to Istio\'s egress gateway', () => {
    expect(validateGeneric('asm', renderFiles(asmEnvironment()))).toEqual([]);
    expect(validateGeneric('asm', renderFiles(asmEnvironment({ desiredState: 'Finished', egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 100 }] })))).toEqual([]);
  });

  it('reports an object not named default and a missing desiredState; a value outside the states is the schema\'s', () => {
    const renamed = mutate(renderFiles(asmEnvironment()), 'asm/asmmigratefromistio.yaml', 'name: default', 'name: migration');
    const stateless = mutate(renamed, 'asm/asmmigratefromistio.yaml', '  desiredState: Migrating\n', '');
    expect(validateGeneric('asm', stateless).map((f) => [f.rule, f.file, f.line, f.message])).toEqual([
      ['asm-migration-state', 'rendered/asm/asm/asmmigratefromistio.yaml', 5, 'ASMMigrateFromIstio "migration": ASM only reconciles the one named default'],
      ['asm-migration-state', 'rendered/asm/asm/asmmigratefromistio.yaml', 6, 'desiredState is missing; it is one of Init -> SetupIstioForMigrate -> Migrating -> Finished'],
    ]);
    const done = mutate(renderFiles(asmEnvironment()), 'asm/asmmigratefromistio.yaml', 'desiredState: Migrating', 'desiredState: Done');
    expect(validateGeneric('asm', done).filter((f) => f.severity === 'error').map((f) => [f.rule, f.line])).toEqual([['schema', 7]]);
  });

  it("reports Finished while a VirtualService still routes to Istio's egress gateway, and nothing else, at the weight", () => {
    const files = mutate(renderFiles(asmEnvironment()), 'asm/asmmigratefromistio.yaml', 'desiredState: Migrating', 'desiredState: Finished');
    const findings = validateGeneric('asm', files);
    expect(findings.map((f) => [f.rule, f.file, f.cluster])).toEqual([['asm-migration-state', 'rendered/asm/clusters/primary1/virtualservice.yaml', 'primary1']]);
    expect(findings[0]!.message).toBe(
      'VirtualService "egress-edition.cnn.com" of cluster "primary1" still sends 99% to istio-egressgateway.istio-system.svc.cluster.local while ASMMigrateFromIstio is Finished: shift it all to ASM\'s egress gateway first',
    );
    expect(files.get('clusters/primary1/virtualservice.yaml')!.split('\n')[findings[0]!.line! - 1]).toBe('      weight: 99');
  });
});

// Against a git base (`meshops check --base`): the command's own tests, with real revisions, are test/migration-transitions.test.ts.
describe('asm-migration-state between two revisions (its revision hook)', () => {
  const hook = asmMigrationState.revisions!;
  const current = (asm: Record<string, unknown>) => model(asmEnvironment(asm));
  const finished = { desiredState: 'Finished', egress: [{ host: 'edition.cnn.com', port: 80, asmWeight: 100 }] };

  it('is a pure function of the two points', () => {
    expect(transitionProblems({ desiredState: 'Init', retryCounter: 0 }, { desiredState: 'Init', retryCounter: 1 }, 'base')).toEqual([]);
    expect(transitionProblems({ desiredState: 'Finished', retryCounter: 4 }, { desiredState: 'Init', retryCounter: 0 }, 'base').map((p) => p.field)).toEqual([
      'desiredState',
      'retryCounter',
    ]);
    // A base the current model would not accept: its state is not compared, its counter still is.
    expect(transitionProblems({ desiredState: 'Done', retryCounter: 2 }, { desiredState: 'Init', retryCounter: 1 }, 'base').map((p) => p.field)).toEqual(['retryCounter']);
  });

  it('anchors its findings at spec.migration.asm, and compares nothing without a migration on either side', () => {
    const base = { spec: { migration: { asm: { desiredState: 'Migrating', retryCounter: 0 } } } };
    expect(hook.compare(base, current({ desiredState: 'SetupIstioForMigrate' }), 'HEAD')).toEqual([
      {
        path: ['spec', 'migration', 'asm', 'desiredState'],
        message: "desiredState moves backwards from Migrating (at HEAD) to SetupIstioForMigrate: ASM's migration only moves forward (Init -> SetupIstioForMigrate -> Migrating -> Finished)",
      },
    ]);
    expect(hook.compare(base, current(finished), 'HEAD')).toEqual([]);
    expect(hook.compare({ spec: {} }, current(finished), 'HEAD')).toEqual([]);
    expect(hook.subject(current({}))).toEqual(['spec', 'migration', 'asm']);
    const without = asmEnvironment();
    delete without.spec.migration;
    expect(hook.subject(model(without))).toBeUndefined();
  });
});
