/**
 * @switchyard/server-provider: an OpenFeature provider for `@openfeature/server-sdk` that
 * evaluates locally from a snapshot the Switchyard relay keeps live.
 */
export { SwitchyardProvider } from './switchyard-provider';
export type { SnapshotInfo } from '@switchyard/sync';
export type { SwitchyardProviderOptions } from './options';
export { FileTransport, type FileTransportOptions } from './file-transport';
