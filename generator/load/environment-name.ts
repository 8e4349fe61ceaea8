/**
 * Where environments live and what one may be called, apart from the loader: the CLI checks --env
 * while parsing options, and a validate run should not pay for importing the model to do so.
 */
export const ENVIRONMENTS_DIR = 'environments';

/**
 * An environment name is a DNS-1123 label, like metadata.name must be: it becomes a directory under
 * rendered/, so "../x" or "a/b" must never get as far as a path.
 */
export function isEnvironmentName(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}
