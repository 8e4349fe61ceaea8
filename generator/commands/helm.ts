/**
 * `--helm` of validate and check: render every Application's Helm sources with `helm template`
 * (generator/validate/helm-template.ts) before the policies run, so the chart-output policies see
 * `tree.charts`. No helm to run is a usage error, not a pass.
 */
import path from 'node:path';
import type { Finding } from '../findings.js';
import { HelmUnavailableError, renderTreeCharts, resolveHelm } from '../validate/helm-template.js';
import type { EnvironmentTree } from '../validate/manifests.js';
import { usageError, type UsageError } from './usage.js';

export interface HelmOption {
  /** The helm binary given on the command line; else $MESHOPS_HELM, else helm on PATH (from `env`). */
  binary?: string;
  env: NodeJS.ProcessEnv;
  /** Charts from <charts>/<minor>/charts/<chart> (relative to cwd) instead of helm pull from the repoURL. */
  charts?: string;
}

/** Renders the trees' charts (sets tree.charts) and returns helm's own findings. */
export async function chartFindings(cwd: string, trees: readonly EnvironmentTree[], option: HelmOption): Promise<Finding[] | UsageError> {
  let helm: string;
  try {
    helm = resolveHelm(option.binary, option.env);
  } catch (e) {
    if (!(e instanceof HelmUnavailableError)) throw e;
    return usageError(e.message);
  }
  return await renderTreeCharts(trees, { helm, charts: option.charts === undefined ? undefined : path.resolve(cwd, option.charts) });
}
