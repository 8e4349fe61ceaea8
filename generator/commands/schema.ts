/** `meshops schema`: the JSON Schema of MeshEnvironment, as committed in schemas/mesh-environment.schema.json. */
import { jsonSchema } from '../model/json-schema.js';

export function schema(): object {
  return jsonSchema();
}
