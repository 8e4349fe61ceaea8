/** What a validate or check run looked at: the summary line says it, and none at all is exit 2. */
import type { EnvironmentTree } from '../validate/manifests.js';

export interface Checked {
  environments: number;
  clusters: number;
  /** Manifest files read (cluster files and the environment's argocd/ and asm/ files). */
  files: number;
}

export function checkedIn(trees: readonly EnvironmentTree[]): Checked {
  return {
    environments: trees.length,
    clusters: trees.reduce((n, t) => n + t.clusters.length, 0),
    files: trees.reduce((n, t) => n + t.shared.length + t.clusters.reduce((m, c) => m + c.files.length, 0), 0),
  };
}
