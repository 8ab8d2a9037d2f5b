/**
 * @switchyard/web-provider: an OpenFeature provider for `@openfeature/web-sdk` that evaluates
 * locally and synchronously in the browser from a client snapshot the Switchyard relay keeps
 * live, and keeps the last one in localStorage.
 */
export { SwitchyardWebProvider } from './switchyard-web-provider';
export type { SnapshotInfo } from '@switchyard/sync';
export type { SwitchyardWebProviderOptions, SnapshotStorage, WebPlatform } from './options';
export { snapshotStorageKey } from './snapshot-cache';
