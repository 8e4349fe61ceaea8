/**
 * The examples of input rules are whole MeshEnvironment files (a test loads each one); they share
 * this head, so an example states only the spec that makes its point.
 */
export function meshExample(spec: string, istio = '{version: 1.24.0}'): string {
  return `apiVersion: meshops.dev/v1alpha1
kind: MeshEnvironment
metadata: {name: demo}
spec:
  meshID: mesh1
  istio: ${istio}
${spec}`;
}
