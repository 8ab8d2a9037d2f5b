import { OpenFeature, type Client, type EvaluationContext } from '@openfeature/web-sdk';
import type { Snapshot } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparableExpected,
  loadPortableCorpus,
  projectResult,
  type CorpusCase,
} from '../../../test/browser/corpus';
import { SwitchyardWebProvider } from '../src/index';

// The corpus core passes, now through the OpenFeature web SDK and this provider. Web
// evaluation is synchronous against a context set per domain, so each case sets it first.
const corpus = loadPortableCorpus();

function read(client: Client, testCase: CorpusCase) {
  switch (testCase.type) {
    case 'boolean':
      return client.getBooleanDetails(testCase.flag, testCase.default as boolean);
    case 'string':
      return client.getStringDetails(testCase.flag, testCase.default as string);
    case 'number':
      return client.getNumberDetails(testCase.flag, testCase.default as number);
    default:
      return client.getObjectDetails(testCase.flag, testCase.default as never);
  }
}

describe('the conformance corpus through the OpenFeature web SDK', () => {
  it('is there', () => {
    expect(corpus.reduce((n, file) => n + file.cases.length, 0)).toBeGreaterThanOrEqual(170);
  });
});

describe.each(corpus)('the conformance corpus through the web SDK: $file', (file) => {
  const domain = `conformance-${file.file}`;
  let client: Client;
  beforeAll(async () => {
    const provider = new SwitchyardWebProvider({
      offline: { snapshot: file.snapshot as unknown as Snapshot },
    });
    await OpenFeature.setProviderAndWait(domain, provider);
    client = OpenFeature.getClient(domain);
  });

  it.each(file.cases)('$name', async (testCase) => {
    await OpenFeature.setContext(domain, testCase.context as EvaluationContext);
    expect(projectResult(testCase.expected, read(client, testCase))).toEqual(
      comparableExpected(testCase.expected),
    );
  });
});

afterAll(async () => {
  await OpenFeature.clearProviders();
  await OpenFeature.clearContexts();
});
