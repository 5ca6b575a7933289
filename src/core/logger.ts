import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = LevelWithSilent;

/** The root logger; components take children carrying their name, callId or legId. */
export function createLogger(level: LogLevel = 'info', destination?: NodeJS.WritableStream): Logger {
  return destination ? pino({ level, base: undefined }, destination) : pino({ level, base: undefined });
}

/** A logger that writes nothing, for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
