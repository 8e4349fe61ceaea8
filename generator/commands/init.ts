/** `meshops init`: a starting environments/<env>/mesh.yaml from the command line; never overwrites. */
import { startingEnvironment, type StartingEnvironmentOptions } from '../adopt/starting-environment.js';
import { fieldsToFill } from '../model/to-fill.js';
import { meshFilePath, meshFileText, writeNewEnvironment } from '../write/environment-file.js';

export interface InitOptions extends StartingEnvironmentOptions {
  cwd: string;
}

export type InitResult = { status: 'written'; file: string; toFill: string[] } | { status: 'exists'; file: string };

export function initEnvironment(options: InitOptions): InitResult {
  const file = meshFilePath(options.env);
  const { environment, comments } = startingEnvironment(options);
  const toFill = fieldsToFill(environment).map((f) => f.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1));
  const text = meshFileText(options.cwd, options.env, environment, [
    `Written by \`meshops init\`. Replace every "TO FILL:" value (render names each one left), then`,
    '`meshops render` and commit this file with rendered/. Every field: the README\'s input reference.',
  ], comments);
  return writeNewEnvironment(options.cwd, options.env, text) ? { status: 'written', file, toFill } : { status: 'exists', file };
}
