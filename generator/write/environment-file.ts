/**
 * A new environments/<env>/mesh.yaml, as `init` and `import` write it: never over an existing
 * environment, with the schema line that gives editors completion from the schema this meshops
 * ships (in a user's repository, the one in node_modules).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Document } from 'yaml';
import { ENVIRONMENTS_DIR } from '../layout.js';
import { packageRoot } from '../package-root.js';

export const MESH_FILE = 'mesh.yaml';

/** The mesh file's repository-relative path (POSIX). */
export const meshFilePath = (env: string) => `${ENVIRONMENTS_DIR}/${env}/${MESH_FILE}`;

/** Whether environments/<env>/ already holds a mesh file (YAML or Jsonnet). */
export function environmentExists(cwd: string, env: string): boolean {
  const dir = path.join(cwd, ENVIRONMENTS_DIR, env);
  return existsSync(path.join(dir, MESH_FILE)) || existsSync(path.join(dir, 'mesh.jsonnet'));
}

/**
 * The mesh file's text: the schema line, `header` as comments, then `environment`, with
 * `comments` (by dotted field path, list items by index) above the fields they explain.
 */
export function meshFileText(cwd: string, env: string, environment: object, header: readonly string[], comments: ReadonlyMap<string, string> = new Map()): string {
  const schema = path.relative(path.join(cwd, ENVIRONMENTS_DIR, env), path.join(packageRoot(), 'schemas', 'mesh-environment.schema.json')).split(path.sep).join('/');
  const doc = new Document(environment);
  for (const [dotted, comment] of comments) {
    const keys = dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
    const pair = (parent as { items?: { key: { value?: unknown; commentBefore?: string } }[] } | undefined)?.items?.find((p) => p.key?.value === keys[keys.length - 1]);
    if (pair) pair.key.commentBefore = comment.split('\n').map((l) => ` ${l}`).join('\n');
  }
  doc.commentBefore = [` yaml-language-server: $schema=${schema}`, ...header.map((l) => ` ${l}`)].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** Writes the mesh file; false when the environment exists (nothing is written then). */
export function writeNewEnvironment(cwd: string, env: string, text: string): boolean {
  if (environmentExists(cwd, env)) return false;
  mkdirSync(path.join(cwd, ENVIRONMENTS_DIR, env), { recursive: true });
  writeFileSync(path.join(cwd, meshFilePath(env)), text, { flag: 'wx' });
  return true;
}
