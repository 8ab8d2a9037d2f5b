import type { JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk';
import type { BenchEngine } from '../engines/engine';
import { prepareOpenFeature } from './of-client';

/** The one answer: the smallest resolution the SDK accepts for a successful evaluation. */
const CONSTANT: ResolutionDetails<boolean> = Object.freeze({ value: true, reason: 'STATIC' });
const CONSTANT_STRING: ResolutionDetails<string> = Object.freeze({ value: '', reason: 'STATIC' });
const CONSTANT_NUMBER: ResolutionDetails<number> = Object.freeze({ value: 0, reason: 'STATIC' });

/**
 * The SDK's own floor: a provider that evaluates nothing and answers one frozen resolution,
 * through `Promise.resolve` as the Provider interface types it (and as the SDK's no-op
 * provider and ours do). Whatever a real provider costs on top of this row is its own.
 */
export class ConstantProvider implements Provider {
  readonly metadata: { readonly name: string } = { name: 'bench-constant' };
  readonly runsOn = 'server' as const;

  resolveBooleanEvaluation(): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(CONSTANT);
  }

  resolveStringEvaluation(): Promise<ResolutionDetails<string>> {
    return Promise.resolve(CONSTANT_STRING);
  }

  resolveNumberEvaluation(): Promise<ResolutionDetails<number>> {
    return Promise.resolve(CONSTANT_NUMBER);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    _flagKey: string,
    defaultValue: T,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve({ value: defaultValue, reason: 'STATIC' });
  }
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'of-constant',
    label: 'constant provider (SDK floor: answers true, no evaluation)',
    side: 'floor',
    constantAnswer: CONSTANT.value,
    setup: (scenario) => prepareOpenFeature('of-constant', scenario, new ConstantProvider()),
  },
];
