/**
 * The SHA-1 compression function sha1.ts uses, chosen per platform by package.json `imports`:
 * browsers (the `browser` condition: esbuild, Vite, the Chromium test projects) get the
 * compact loop in sha1-compress-looped.ts; everything else (Node servers, tsc) gets the
 * generated, unrolled and faster sha1-compress-unrolled.ts. Both compute the same function.
 * The published package resolves it at build time instead: dist/ inlines the unrolled form
 * and dist/browser/ (the `browser` export) the looped one, so no src/ path is needed there.
 */
export { compressBlock } from '#sha1-compress';
