/** Private test helpers shared by every package: builders and fakes. */
export { booleanFlag, stringFlag, segment, snapshotOf } from './builders';
export { FakeClock } from './fake-clock';
