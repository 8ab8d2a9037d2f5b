// Writes the JSON Schema of the snapshot model next to the build, for editors and tooling.
import { mkdirSync, writeFileSync } from 'node:fs';
import { snapshotJsonSchema } from '../src/schema';

mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../dist/snapshot.schema.json', import.meta.url),
  `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`,
);
