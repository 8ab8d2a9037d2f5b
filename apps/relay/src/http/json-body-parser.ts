import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-problem';

// `__proto__` as a key survives JSON.parse as an own property, and later object merges can
// turn it into a prototype change: refuse it outright.
const refuseProtoKeys = (key: string, value: unknown): unknown => {
  if (key === '__proto__') throw new SyntaxError('"__proto__" is not allowed as a key');
  return value;
};

/**
 * Parses JSON bodies with errors that say what is wrong (Fastify's only says "not valid
 * JSON"). An empty body is no body, so bodiless actions may still send the header.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      // A reviver makes JSON.parse several times slower: only pay for it when the key can
      // occur, spelled out or through a \u escape.
      const mayHideProto = text.includes('__proto__') || text.includes('\\u');
      done(null, mayHideProto ? JSON.parse(text, refuseProtoKeys) : JSON.parse(text));
    } catch (error) {
      done(
        new HttpProblem(
          'malformed-json',
          `the body is not valid JSON: ${(error as Error).message}`,
          undefined,
          { cause: error },
        ),
        undefined,
      );
    }
  });
}
