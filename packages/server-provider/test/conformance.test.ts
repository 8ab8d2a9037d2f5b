import { OpenFeature, type Client, type EvaluationContext } from '@openfeature/server-sdk';
import type { Snapshot } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  comparableExpected,
  loadCorpus,
  projectResult,
  type CorpusCase,
} from '../../../test/conformance/load-corpus';
import { SwitchyardProvider } from '../src/index';

// The same corpus core passes, now through the OpenFeature server SDK and this provider.
const corpus = loadCorpus();

function read(client: Client, testCase: CorpusCase) {
  const context = testCase.context as EvaluationContext;
  switch (testCase.type) {
    case 'boolean':
      return client.getBooleanDetails(testCase.flag, testCase.default as boolean, context);
    case 'string':
      return client.getStringDetails(testCase.flag, testCase.default as string, context);
    case 'number':
      return client.getNumberDetails(testCase.flag, testCase.default as number, context);
    default:
      return client.getObjectDetails(testCase.flag, testCase.default as never, context);
  }
}

describe.each(corpus)('the conformance corpus through OpenFeature: $file', (file) => {
  let client: Client;
  beforeAll(async () => {
    const provider = new SwitchyardProvider({
      offline: { snapshot: structuredClone(file.snapshot) as unknown as Snapshot },
    });
    await OpenFeature.setProviderAndWait(file.file, provider);
    client = OpenFeature.getClient(file.file);
  });

  it.each(file.cases)('$name', async (testCase) => {
    const details = await read(client, testCase);
    expect(projectResult(testCase.expected, details)).toEqual(
      comparableExpected(testCase.expected),
    );
  });
});

afterAll(async () => {
  await OpenFeature.close();
});
