// Seed 003: a multi-cloud, multi-network mesh (DaoCloud Mspider) with a hosted control plane.
// Three clusters whose pod networks do not reach each other, so each is its own network with an
// east-west gateway behind a MetalLB IP; mdemo-cluster1 hosts istiod for all three.
// Written in Jsonnet on environments/lib/mesh.libsonnet; `meshops render` evaluates it.
local mesh = import 'mesh.libsonnet';

local primary = 'mdemo-cluster1';

// The seed's planning tables, one row per cluster. MetalLB pools: 10.64.30.71-73 (cluster1),
// 10.6.136.25-29 (cluster2), 10.64.30.75-77 (cluster3), each named first-pool.
local plan = [
  { name: 'mdemo-cluster1', network: 'network-c1', podSubnet: '10.201.0.0/16', locality: 'region1/zone1/subzone1', master: '10.64.30.130', eastWest: '10.64.30.73' },
  { name: 'mdemo-cluster2', network: 'network-c2', podSubnet: '10.202.0.0/16', locality: 'region1/zone2/subzone2', master: '10.6.230.5', eastWest: '10.6.136.29' },
  { name: 'mdemo-cluster3', network: 'network-c3', podSubnet: '10.100.0.0/16', locality: 'region1/zone3/subzone3', master: '10.64.30.131', eastWest: '10.64.30.77' },
];

local clusterOf(row) =
  local common = { podSubnet: row.podSubnet, locality: row.locality, apiServer: 'https://%s:6443' % row.master };
  (if row.name == primary
   // istiod-mdemo-mesh-hosted-lb: the hosted istiod's own load balancer IP.
   then mesh.primary(row.name, row.network, istiodAddress='10.64.30.72', podSubnet=common.podSubnet, locality=common.locality, apiServer=common.apiServer)
   else mesh.remote(row.name, row.network, controlPlane=primary, podSubnet=common.podSubnet, locality=common.locality, apiServer=common.apiServer))
  + mesh.metallbEastWestGateway(row.eastWest);

mesh.environment('mdemo-multicloud', {
  meshID: 'mdemo-mesh',
  istio: {
    version: '1.15.3-mspider',
    hub: 'release.daocloud.io/mspider',
    // Mspider installs and upgrades Istio itself; Git carries the mesh configuration and the
    // IstioOperator whose values are entered as the mesh's control-plane parameters.
    install: 'istioctl',
  },
  clusters: [clusterOf(row) for row in plan],
  remoteSecrets: mesh.remoteSecretsFrom('vault'),
  // Argo CD syncs each cluster's mesh configuration to the cluster's apiServer (install: istioctl:
  // Mspider owns the Istio installation, and no official chart "1.15.3-mspider" exists). Apply
  // rendered/mdemo-multicloud/argocd/root-application.yaml once.
  argocd: {
    repoURL: 'https://git.example.com/platform/mesh.git',
    targetRevision: 'main',
  },
})
