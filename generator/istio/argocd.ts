/**
 * Argo CD's vocabulary that the renderer writes and the rules read: resource annotations and
 * argocd-cm's Application health-check key. (Argo CD delivers the mesh, so its keys live beside
 * Istio's, with one owner.)
 */

/** Argo CD's resource annotations for sync order and sync options. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** The sync option that keeps an object when its Application is deleted, cascade or not. */
export const KEEP_ON_DELETE = 'Delete=false';

/** argocd-cm's key of the Application health check that makes sync waves between Applications wait. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';
