// pino-roll ships no types; this is the part Workstation uses (https://github.com/mcollina/pino-roll#readme).
declare module 'pino-roll' {
  import type pino from 'pino';

  /** pino-roll answers a SonicBoom stream, the type pino.destination() answers too. */
  export type RollingStream = ReturnType<typeof pino.destination>;

  export interface PinoRollOptions {
    /** The file's path without its number; `<file>.<n><extension>` is written. */
    file: string;
    /** Roll when the file reaches this size (`10m`, `512k`; a number is megabytes). */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    /** How many files to keep besides the current one. */
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    dateFormat?: string;
    /** SonicBoom's: create the folder; write before returning. */
    mkdir?: boolean;
    sync?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollingStream>;
}
