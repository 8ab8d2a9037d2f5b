/**
 * @switchyard/server-provider: an OpenFeature provider for `@openfeature/server-sdk` that
 * evaluates locally from a snapshot the Switchyard relay keeps live.
 */
export { SwitchyardProvider, type SnapshotInfo } from './switchyard-provider';
export type { SwitchyardProviderOptions } from './options';
export { FileTransport, type FileTransportOptions } from './file-transport';
export { createLruBucketCache } from './lru-bucket-cache';
