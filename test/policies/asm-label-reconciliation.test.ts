import { describe, expect, it } from 'vitest';
import { asmEnvironment } from '../environments.js';
import { mutate, renderFiles } from '../helpers.js';
import { validateGeneric } from './trees.js';

describe('asm-label-reconciliation', () => {
  it('finds nothing in a rendered ASM migration', () => {
    expect(validateGeneric('asm', renderFiles(asmEnvironment()))).toEqual([]);
  });

  it('reports reconciliation left on while a cluster has an east-west gateway, and nothing else, at the field', () => {
    const files = mutate(renderFiles(asmEnvironment()), 'asm/asmmigratefromistio.yaml', 'disableIstioSystemLabelReconciliation: true', 'disableIstioSystemLabelReconciliation: false');
    expect(validateGeneric('asm', files)).toEqual([
      expect.objectContaining({
        rule: 'asm-label-reconciliation',
        severity: 'error',
        file: 'rendered/asm/asm/asmmigratefromistio.yaml',
        line: 10,
        message: 'ASMMigrateFromIstio must set advancedOptions.disableIstioSystemLabelReconciliation: true: "primary1" has an east-west gateway, whose pods need injection in istio-system',
      }),
    ]);
    expect(files.get('asm/asmmigratefromistio.yaml')!.split('\n')[9]).toBe('    disableIstioSystemLabelReconciliation: false');
  });
});
