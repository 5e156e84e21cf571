/** An error meant to be read by a person: what is wrong, where, and what to do. */
export class MoteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The experiment (TOML, overrides, share link) is invalid: the CLI exits with code 2. */
export class ConfigError extends MoteError {}

/** A file the user gave (dataset, archive, firmware) is not what it should be. */
export class InputFileError extends MoteError {}

/** A stage or kind that Mote does not support (yet); the message lists what is supported. */
export class UnsupportedError extends MoteError {}

/** The user cancelled a long operation. */
export class CancelledError extends MoteError {}
