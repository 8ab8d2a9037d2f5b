import type { CommandRegistration } from './command-registration.js';
import { registerEval } from './eval.js';
import { registerValidate } from './validate.js';

/** Every command of the CLI, in help order; new command groups (relay admin) append here. */
export const commandRegistrations: readonly CommandRegistration[] = [
  registerValidate,
  registerEval,
];
