/**
 * Argo CD's names and destinations for an environment's Applications, shared by the renderers and
 * the input rules (policies/input-argocd-*.ts), so the two cannot disagree.
 */
import type { ClusterSpec, MeshEnvironment } from './mesh-environment.js';

/** Argo CD's label tracking writes the Application name into a label value: at most 63 characters. */
export const MAX_APPLICATION_NAME = 63;

/** The Argo CD Application of a cluster; "." cannot occur in either name, so names never collide across environments. */
export function applicationName(env: string, cluster: string): string {
  return `${env}.${cluster}`;
}

/** The suffix of the Application of a cluster's gateway charts. */
export const GATEWAYS_APPLICATION_SUFFIX = '.gateways';

/** The Application of an ASM migration's asm/ directory: two dots set it apart from every cluster's and root Application. */
export function asmApplicationName(env: string): string {
  return `${env}.asm.migration`;
}

export type ArgoCdDestination = { server: string } | { name: string };

/** Where Argo CD deploys a cluster: its apiServer, else an argocd.destinations entry, else the cluster registered under its name. */
export function destinationOf(env: MeshEnvironment, cluster: ClusterSpec): ArgoCdDestination {
  if (cluster.apiServer !== undefined) return { server: cluster.apiServer };
  return env.spec.argocd?.destinations[cluster.name] ?? { name: cluster.name };
}

/** Where Argo CD syncs an ASM migration's asm/ directory: the ASM instance's API server (an https URL) or its Argo CD cluster name. */
export function asmDestinationOf(env: MeshEnvironment): ArgoCdDestination | undefined {
  const destination = env.spec.migration?.asm?.destination;
  if (destination === undefined) return undefined;
  return /^https?:\/\//.test(destination) ? { server: destination } : { name: destination };
}
