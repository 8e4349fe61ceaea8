// Building blocks for environments/<env>/mesh.jsonnet (environments/lib/ is on the import path:
// `local mesh = import 'mesh.libsonnet';`). Every helper returns plain MeshEnvironment fields, and
// meshops validates the evaluated object exactly like a mesh.yaml, so a misspelt field is still an
// unknown-field error. Optional arguments left null are omitted rather than written as null.
local omitNulls(fields) = { [k]: fields[k] for k in std.objectFields(fields) if fields[k] != null };

{
  apiVersion:: 'meshops.dev/v1alpha1',

  // The whole document; `name` must be the directory's name.
  environment(name, spec):: {
    apiVersion: $.apiVersion,
    kind: 'MeshEnvironment',
    metadata: { name: name },
    spec: spec,
  },

  // 'region1/zone1/subzone1' -> {region, zone, subzone}: the form planning tables write it in.
  locality(path)::
    local parts = std.split(path, '/');
    assert std.length(parts) >= 1 && std.length(parts) <= 3 : 'locality "%s" is not region[/zone[/subzone]]' % path;
    omitNulls({
      region: parts[0],
      zone: if std.length(parts) > 1 then parts[1] else null,
      subzone: if std.length(parts) > 2 then parts[2] else null,
    }),

  // A cluster: what every cluster states, plus the optional facts of a planning table.
  // Merge anything else with `+`.
  cluster(name, role, network, podSubnet=null, locality=null, apiServer=null, provider=null)::
    { name: name, role: role, network: network } + omitNulls({
      podSubnet: podSubnet,
      locality: if locality == null then null else $.locality(locality),
      apiServer: apiServer,
      provider: provider,
    }),

  // A primary runs istiod; `istiodAddress` is a dedicated load balancer for it, when there is one
  // (otherwise remotes reach istiod through the east-west gateway's address).
  primary(name, network, istiodAddress=null, podSubnet=null, locality=null, apiServer=null)::
    $.cluster(name, 'primary', network, podSubnet, locality, apiServer)
    + omitNulls({ istiodAddress: istiodAddress }),

  // A remote uses the istiod of `controlPlane` (a primary); may be null with exactly one primary.
  remote(name, network, controlPlane=null, podSubnet=null, locality=null, apiServer=null)::
    $.cluster(name, 'remote', network, podSubnet, locality, apiServer)
    + omitNulls({ controlPlane: controlPlane }),

  // An east-west gateway behind a MetalLB LoadBalancer IP taken from `pool`
  // (rendered as the metallb.universe.tf/address-pool Service annotation).
  metallbEastWestGateway(address, pool='first-pool'):: {
    provider: 'metallb',
    eastWestGateway: { address: address, loadBalancer: { addressPool: pool } },
  },

  // Remote clusters' credentials come from a secret store through External Secrets; the
  // kubeconfigs never enter Git. `key` may use {cluster} for the remote's name.
  remoteSecretsFrom(storeName, storeKind='ClusterSecretStore', key=null)::
    { store: { kind: storeKind, name: storeName } } + omitNulls({ key: key }),
}
