/**
 * Label and annotation keys Istio reads (and the meshops.dev ones meshops writes so the validator
 * can check a tree without its environment file).
 */

/** The network of a namespace's or gateway's pods (istio-system Namespace, east-west gateway). */
export const NETWORK_LABEL = 'topology.istio.io/network';
/** The label selecting the east-west gateway's pods (gen-eastwest-gateway.sh, expose-*.yaml). */
export const EAST_WEST_GATEWAY_SELECTOR = { istio: 'eastwestgateway' } as const;
/** On a remote's istio-system Namespace: the clusters whose control plane it uses. */
export const CONTROL_PLANE_CLUSTERS_ANNOTATION = 'topology.istio.io/controlPlaneClusters';
/** What istiod looks for on a remote secret (istioctl create-remote-secret sets both). */
export const MULTI_CLUSTER_LABEL = 'istio/multiCluster';
export const REMOTE_CLUSTER_ANNOTATION = 'networking.istio.io/cluster';

/** On a primary exposing istiod: where remotes reach it, so `remote-pilot-address` can be checked from the tree alone. */
export const ISTIOD_ADDRESS_ANNOTATION = 'meshops.dev/istiod-address';
/** Migrating from TCM: the version and clusters of the old mesh, so tcm-* policies can check the tree alone. */
export const TCM_SOURCE_VERSION_ANNOTATION = 'meshops.dev/tcm-source-version';
export const TCM_SOURCE_CLUSTERS_ANNOTATION = 'meshops.dev/tcm-source-clusters';
/** On Argo CD objects: which environment, cluster and role they deploy. */
export const ENVIRONMENT_LABEL = 'meshops.dev/environment';
export const CLUSTER_LABEL = 'meshops.dev/cluster';
export const ROLE_LABEL = 'meshops.dev/role';
