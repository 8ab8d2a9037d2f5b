import type { EvaluationContext, ResolutionDetails } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/server-provider';
import type { BenchEngine } from '../engines/engine';
import { snapshot } from '../engines/switchyard';
import type { Scenario } from '../scenarios';
import { ConstantProvider } from './constant';
import { prepareOpenFeature } from './of-client';

/*
 * Diagnostic variants, run only when named in --only or with --diagnostics: each changes one
 * thing about a main row, to tell what that thing costs through the SDK. They are not
 * products and not peers; the bench report labels them.
 */

/** A result shaped like ours (value, variant, reason, flagMetadata), allocated once. */
const SHAPED: ResolutionDetails<boolean> = Object.freeze({
  value: true,
  variant: 'on',
  reason: 'STATIC',
  flagMetadata: Object.freeze({ flagVersion: 1 }),
});

/** The constant provider answering a result with our four fields: what the shape costs in the SDK. */
class ShapedConstantProvider extends ConstantProvider {
  override readonly metadata = { name: 'bench-constant-shaped' };
  override resolveBooleanEvaluation(): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(SHAPED);
  }
}

/**
 * Our provider answering its details without `Promise.resolve` (off the Provider type, which
 * asks for a promise; the SDK awaits whatever it gets, so it works): what the wrapping costs.
 */
class UnwrappedSwitchyardProvider extends SwitchyardProvider {
  override resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this['resolve'](flagKey, defaultValue, context, 'boolean') as unknown as Promise<
      ResolutionDetails<boolean>
    >;
  }
}

function switchyardSetup(id: string, make: (scenario: Scenario) => SwitchyardProvider) {
  return (scenario: Scenario) => prepareOpenFeature(id, scenario, make(scenario));
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'of-constant-shaped',
    label: 'diagnostic: constant provider answering our four fields',
    side: 'floor',
    constantAnswer: true,
    setup: (scenario) =>
      prepareOpenFeature('of-constant-shaped', scenario, new ShapedConstantProvider()),
  },
  {
    id: 'of-switchyard-unwrapped',
    label: 'diagnostic: SwitchyardProvider answering without Promise.resolve',
    side: 'ours',
    setup: switchyardSetup(
      'of-switchyard-unwrapped',
      (scenario) => new UnwrappedSwitchyardProvider({ offline: { snapshot: snapshot(scenario) } }),
    ),
  },
  {
    id: 'of-switchyard-nocache',
    label: 'diagnostic: SwitchyardProvider with bucketCacheSize: 0 (no bucket cache)',
    side: 'ours',
    setup: switchyardSetup(
      'of-switchyard-nocache',
      (scenario) =>
        new SwitchyardProvider({ offline: { snapshot: snapshot(scenario) }, bucketCacheSize: 0 }),
    ),
  },
];
