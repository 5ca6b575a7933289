/** Base of every typed error in Atende: a stable code and a clear message. */
export class AtendeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is missing or invalid; `path` names the field. */
export class ConfigError extends AtendeError {
  constructor(
    readonly issues: { path: string; message: string }[],
  ) {
    super('config_invalid', issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  }
}
