/** What renderers return: manifest objects and plain-text files, by path under rendered/<env>/. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };

export interface RenderedFile {
  /** POSIX path relative to rendered/<env>/. */
  path: string;
  /** YAML documents, written in this order. */
  documents?: readonly object[];
  /** A non-YAML file (cluster.env, hosts, a runbook), written as is after the header. */
  text?: string;
  /** Executable scripts. */
  executable?: boolean;
}

export interface RenderedEnvironment {
  env: string;
  /** The environment file it came from, named in every file's header. */
  sourceFile: string;
  files: RenderedFile[];
}

/** A copy of a string map with sorted keys, so user-supplied maps render deterministically. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
