/**
 * Facts of spec.migration that the model's rules, the renderers and the transition check share:
 * the order of ASM's migration states (seed 002) and how egress ports land on Istio's egress gateway.
 */

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

/**
 * From SetupIstioForMigrate on, ASM adds PROXY_CONFIG_XDS_AGENT to Istio's mesh config so Istio
 * sidecars can talk mTLS with ASM proxies; the IstioOperator must state it too, or the next
 * `istioctl install -f` removes it again.
 */
export function needsXdsAgent(state: AsmState): boolean {
  return asmStateIndex(state) >= asmStateIndex('SetupIstioForMigrate');
}

/** The Service ports Istio's egress gateway has by default; they stay when egress ports are added. */
export const EGRESS_GATEWAY_DEFAULT_PORTS = [80, 443] as const;

/**
 * The container port Istio's egress gateway listens on for a Service port. IstioOperator gateways
 * run unprivileged and cannot bind ports below 1024, so Istio maps 80 -> 8080 and 443 -> 8443;
 * the same +8000 shift is applied to every privileged port.
 */
export function egressGatewayTargetPort(port: number): number {
  return port < 1024 ? port + 8000 : port;
}

