/**
 * YAML as Kubernetes, Argo CD and Helm read it, for js-yaml. They all go through sigs.k8s.io/yaml,
 * which unmarshals with go-yaml v2 into interface{} (kubernetes-sigs/yaml yaml.go, go.yaml.in/yaml/v2);
 * go-yaml v2 keeps a timestamp-like plain scalar a string there (go-yaml branch v2, decode.go: "for
 * backward compatibility ... see a string and not a time.Time") and honours merge keys (resolve.go,
 * `<<`). So: the YAML 1.2 core schema plus merge keys, and no timestamps: js-yaml's default schema
 * would turn `created: 2024-01-01` into a Date, which every schema's `type: string` refuses.
 */
import jsYaml from 'js-yaml';

/** js-yaml exports its built-in types (`types`), which @types/js-yaml does not declare. */
const { merge } = (jsYaml as unknown as { types: Record<'merge', jsYaml.Type> }).types;

export const KUBERNETES_YAML_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [merge] });

/** One YAML document as Kubernetes reads it. */
export function loadKubernetesYaml(text: string): unknown {
  return jsYaml.load(text, { schema: KUBERNETES_YAML_SCHEMA });
}
