import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';

/** The body of a command: does its work with the CLI's streams and answers an exit code. */
export type CommandBody = (io: CliIo) => Promise<number>;

/**
 * Runs a command body on behalf of an action handler and records its exit code; commander
 * actions cannot return one, so the runner holds it for `runCli`.
 */
export type CommandRunner = (body: CommandBody) => Promise<void>;

/** Adds one command (or a group of subcommands) to the program. */
export type CommandRegistration = (program: Command, run: CommandRunner) => void;
