/** The SARIF report code scanning reads: the tool's version, and every rule with help and a name of its own. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportTool } from '../generator/commands/rules.js';
import { formatFindings, sarifRuleName } from '../generator/report/format.js';
import { policies } from '../policies/index.js';
import { REPO_ROOT } from './helpers.js';

const sarif = JSON.parse(formatFindings([{ rule: 'mesh-id-match', severity: 'error', message: 'm', file: 'rendered/e/x.yaml', line: 3 }], 'sarif', reportTool()));
const driver = sarif.runs[0].tool.driver;

describe('SARIF', () => {
  it('names the tool with the version of package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(driver).toMatchObject({ name: 'meshops', version, semanticVersion: version });
  });

  it('describes every rule, engine and registry alike, with help and a PascalCase name distinct from its id', () => {
    const ids = driver.rules.map((r: any) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['schema', 'rendered-up-to-date', 'input', 'input-syntax', ...policies.map((p) => p.id)]));
    for (const rule of driver.rules) {
      expect(rule.help.text.length, rule.id).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.markdown, rule.id).toBe(rule.help.text);
      expect(rule.name, rule.id).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(rule.name).not.toBe(rule.id);
    }
    expect(new Set(driver.rules.map((r: any) => r.name)).size).toBe(driver.rules.length);
    expect(sarifRuleName('mesh-id-match')).toBe('MeshIdMatch');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'mesh-id-match', ruleIndex: ids.indexOf('mesh-id-match') });
  });
});
