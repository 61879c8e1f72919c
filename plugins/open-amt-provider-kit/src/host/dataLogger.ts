/** The part of the services' loggers the database providers use (never given values: they may hold secrets). */
export interface DataLogger {
  error(message: string, ...params: unknown[]): void;
  verbose?(message: string, ...params: unknown[]): void;
}
