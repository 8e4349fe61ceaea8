/**
 * Alibaba Cloud ASM's in-place migration from Istio (seed 002): its ASMMigrateFromIstio object,
 * the order of its states, and the egress gateways traffic moves between.
 */
import { EGRESS_GATEWAY, istioSystemHost } from './names.js';

export const ASM_MIGRATION_API_VERSION = 'istio.alibabacloud.com/v1beta1';
export const ASM_MIGRATION_KIND = 'ASMMigrateFromIstio';
/** ASM creates and reconciles exactly one ASMMigrateFromIstio, named default. */
export const ASM_MIGRATION_NAME = 'default';
export const ISTIO_EGRESS_GATEWAY_HOST = istioSystemHost(EGRESS_GATEWAY);
/** Seed 002's name for the ASM egress gateway created in the ASM console. */
export const ASM_EGRESS_GATEWAY_HOST = istioSystemHost('asm-egressgateway');

/** ASMMigrateFromIstio's desiredState, in the only order ASM accepts (forward, one step at a time). */
export const ASM_STATES = ['Init', 'SetupIstioForMigrate', 'Migrating', 'Finished'] as const;
export type AsmState = (typeof ASM_STATES)[number];

/** Position of a state in the migration, -1 for a string that is not a state. */
export function asmStateIndex(state: string): number {
  return (ASM_STATES as readonly string[]).indexOf(state);
}

export function nextAsmState(state: AsmState): AsmState | undefined {
  return ASM_STATES[asmStateIndex(state) + 1];
}
