/** The JSON Schema of MeshEnvironment, exported from the zod model: `meshops schema` and editors' completion. */
import { z } from 'zod';
import { MeshEnvironmentSchema } from './mesh-environment.js';

export function jsonSchema(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://meshops.dev/schemas/mesh-environment.schema.json',
    title: 'MeshEnvironment',
    ...z.toJSONSchema(MeshEnvironmentSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}
