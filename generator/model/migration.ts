/**
 * Facts of spec.migration that the model's rules and the renderers share: when the proxies need
 * ASM's XDS agent (seed 002) and how egress ports land on Istio's egress gateway.
 */
import { asmStateIndex, type AsmState } from '../istio/asm.js';

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

