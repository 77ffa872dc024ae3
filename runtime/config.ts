/**
 * The CF's configuration: defaults, a JSON config file, and command-line flags on top, validated in
 * one place with messages that say what to pass instead. Every fault is a `ConfigError`
 * (`CPM_ERR_CONFIG`), which the CLI reports and exits non-zero on.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseUri } from './sip/uri.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CfConfig {
  /** IP literal every listener binds (SIP, MSRP, the embedded XDMS). */
  readonly host: string;
  /** SIP over UDP and TCP; 0 picks a free port. */
  readonly sipPort: number;
  readonly msrpPort: number;
  /** The embedded XDMS's HTTP port (ignored with `xdmsUrl`). */
  readonly xdmsPort: number;
  /** The group documents the embedded XDMS serves. */
  readonly groupsDir: string;
  /** An external XDMS's XCAP root; null runs the embedded one. */
  readonly xdmsUrl: string | null;
  /** Open question 3: hosts (IP literals) whose P-Asserted-Identity is believed. */
  readonly trusted: readonly string[];
  /** RFC 3261 §8.1.2: a SIP URI every request towards members (and without a route set) goes through. */
  readonly outboundProxy: string | null;
  /** OK-3 / open question 15: Server of responses, User-Agent of requests. */
  readonly server: string;
  /** INV-4: accepted User-Agent prefixes; null requires none. */
  readonly requireUa: readonly string[] | null;
  readonly maxSessions: number;
  readonly logLevel: LogLevel;
  /** INV-4: the Error-Info URI of the 403 for an unsupported User-Agent. */
  readonly errorInfoUri: string;
  /** INV-6 (RFC 4028): the smallest and largest session intervals, in seconds. */
  readonly minSessionExpires: number;
  readonly maxSessionExpires: number;
  /** Retry-After of the 503 at `maxSessions`, in seconds. */
  readonly retryAfterSeconds: number;
  /** Longest wait for one XCAP fetch. */
  readonly xdmsTimeoutMs: number;
  /** SIGTERM: how long sessions get to end cleanly before they are dropped. */
  readonly shutdownGraceMs: number;
  readonly timers: {
    /** RFC 3261 T1, T2, T4 (ms); Timer B, F, H and the CANCEL and ACK waits are 64*T1. */
    readonly t1: number;
    readonly t2: number;
    readonly t4: number;
    /** How long a member may ring before its INVITE is cancelled. */
    readonly noAnswerMs: number;
    /** Open question 9: how long a member may take to finish its copy after the sender's BYE. */
    readonly drainMs: number;
  };
  /** The MSRP relay (`runtime/msrp/relay/`). */
  readonly msrp: {
    /** Largest message taken (413 beyond, RFC 4975 §10). */
    readonly maxMessageBytes: number;
    /** Per session, spooled bytes kept in memory before the rest goes to a file. */
    readonly memorySpoolBytes: number;
    /** Per member, the most bytes buffered towards it. */
    readonly windowBytes: number;
    readonly connectTimeoutMs: number;
    /** Where spool files go; null for the system's temporary directory. */
    readonly spoolDir: string | null;
  };
}

export const DEFAULT_CONFIG: CfConfig = {
  host: '127.0.0.1',
  sipPort: 5060,
  msrpPort: 2855,
  xdmsPort: 8090,
  groupsDir: 'examples/groups',
  xdmsUrl: null,
  trusted: ['127.0.0.1', '::1'],
  outboundProxy: null,
  server: 'CPM-serv/OMA1.0',
  requireUa: null,
  maxSessions: 10_000,
  logLevel: 'info',
  errorInfoUri: 'https://cpm.example.net/cpm-cf/user-agent-not-supported.html',
  minSessionExpires: 90,
  maxSessionExpires: 7200,
  retryAfterSeconds: 5,
  xdmsTimeoutMs: 2000,
  shutdownGraceMs: 4000,
  timers: { t1: 500, t2: 4000, t4: 5000, noAnswerMs: 60_000, drainMs: 30_000 },
  msrp: { maxMessageBytes: 1024 * 1024 * 1024, memorySpoolBytes: 8 * 1024 * 1024, windowBytes: 1024 * 1024, connectTimeoutMs: 10_000, spoolDir: null },
};

/** The options that are objects of their own; a layer may set some of their keys only. */
const SECTIONS = ['timers', 'msrp'] as const;
type Section = (typeof SECTIONS)[number];

/** What a config file or the command line may set: any subset, of the sections too. */
export type ConfigInput = Partial<Omit<CfConfig, Section>> & { [K in Section]?: Partial<CfConfig[K]> };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CPM_ERR_CONFIG';
}

/** Reads a JSON config file (an object of `CfConfig` keys). */
export function readConfigFile(path: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  return parsed as ConfigInput;
}

/**
 * The defaults overlaid with each layer in turn (later wins), validated.
 * @example resolveConfig(readConfigFile('cf.json'), { sipPort: 5070 })
 */
export function resolveConfig(...layers: ConfigInput[]): CfConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (!(key in DEFAULT_CONFIG)) throw new ConfigError(`unknown option "${key}"; known options: ${Object.keys(DEFAULT_CONFIG).join(', ')}`);
      if (value === undefined) continue;
      merged[key] = (SECTIONS as readonly string[]).includes(key) ? { ...(merged[key] as object), ...checkSection(key as Section, value) } : value;
    }
  }
  return validate(merged);
}

function checkSection(section: Section, value: unknown): Record<string, unknown> {
  const known = Object.keys(DEFAULT_CONFIG[section]);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${section} must be an object with keys among ${known.join(', ')}`);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`unknown option "${section}.${key}"; known: ${known.join(', ')}`);
  }
  return value as Record<string, unknown>;
}

function validate(raw: Record<string, unknown>): CfConfig {
  const timers = raw.timers as Record<string, unknown>;
  const msrp = raw.msrp as Record<string, unknown>;
  const config: CfConfig = {
    host: ipLiteral('host', raw.host),
    sipPort: port('sipPort', raw.sipPort),
    msrpPort: port('msrpPort', raw.msrpPort),
    xdmsPort: port('xdmsPort', raw.xdmsPort),
    groupsDir: text('groupsDir', raw.groupsDir),
    xdmsUrl: raw.xdmsUrl === null ? null : httpUrl('xdmsUrl', raw.xdmsUrl),
    trusted: list('trusted', raw.trusted).map((host) => ipLiteral('trusted', host)),
    outboundProxy: raw.outboundProxy === null ? null : sipUriText('outboundProxy', raw.outboundProxy),
    server: text('server', raw.server),
    requireUa: raw.requireUa === null ? null : nonEmpty('requireUa', list('requireUa', raw.requireUa)),
    maxSessions: integer('maxSessions', raw.maxSessions, 1),
    logLevel: logLevel(raw.logLevel),
    errorInfoUri: absoluteUri('errorInfoUri', raw.errorInfoUri),
    minSessionExpires: integer('minSessionExpires', raw.minSessionExpires, 90),
    maxSessionExpires: integer('maxSessionExpires', raw.maxSessionExpires, 90),
    retryAfterSeconds: integer('retryAfterSeconds', raw.retryAfterSeconds, 0),
    xdmsTimeoutMs: integer('xdmsTimeoutMs', raw.xdmsTimeoutMs, 1),
    shutdownGraceMs: integer('shutdownGraceMs', raw.shutdownGraceMs, 0),
    timers: {
      t1: integer('timers.t1', timers.t1, 1),
      t2: integer('timers.t2', timers.t2, 1),
      t4: integer('timers.t4', timers.t4, 1),
      noAnswerMs: integer('timers.noAnswerMs', timers.noAnswerMs, 1),
      drainMs: integer('timers.drainMs', timers.drainMs, 1),
    },
    msrp: {
      maxMessageBytes: integer('msrp.maxMessageBytes', msrp.maxMessageBytes, 1),
      memorySpoolBytes: integer('msrp.memorySpoolBytes', msrp.memorySpoolBytes, 0),
      windowBytes: integer('msrp.windowBytes', msrp.windowBytes, 16 * 1024),
      connectTimeoutMs: integer('msrp.connectTimeoutMs', msrp.connectTimeoutMs, 1),
      spoolDir: msrp.spoolDir === null ? null : text('msrp.spoolDir', msrp.spoolDir),
    },
  };
  if (config.maxSessionExpires < config.minSessionExpires) {
    throw new ConfigError(`maxSessionExpires (${config.maxSessionExpires}) is below minSessionExpires (${config.minSessionExpires})`);
  }
  if (config.timers.t2 < config.timers.t1) throw new ConfigError(`timers.t2 (${config.timers.t2}) must not be below timers.t1 (${config.timers.t1})`);
  return config;
}

function text(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} must be a non-empty string`);
  return value;
}

function integer(name: string, value: unknown, min: number): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < min) {
    throw new ConfigError(`${name} must be an integer of at least ${min}, not ${JSON.stringify(value)}`);
  }
  return number;
}

function port(name: string, value: unknown): number {
  const number = integer(name, value, 0);
  if (number > 65535) throw new ConfigError(`${name} must be a port number 0-65535 (0 picks a free one), not ${number}`);
  return number;
}

function ipLiteral(name: string, value: unknown): string {
  const address = text(name, value);
  if (isIP(address) === 0) throw new ConfigError(`${name} "${address}" is not an IP address; pass e.g. 127.0.0.1 or ::1`);
  return address;
}

function list(name: string, value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) throw new ConfigError(`${name} must be a list of strings`);
  return items as string[];
}

function nonEmpty(name: string, items: string[]): string[] {
  if (items.length === 0 || items.some((item) => item.trim() === '')) throw new ConfigError(`${name} must name at least one non-empty value, or be null`);
  return items;
}

function httpUrl(name: string, value: unknown): string {
  const url = text(name, value);
  if (!/^https?:\/\/[^/]/.test(url)) throw new ConfigError(`${name} "${url}" is not an http(s) URL; pass the XCAP root, e.g. http://127.0.0.1:8090/`);
  return url;
}

function sipUriText(name: string, value: unknown): string {
  const uri = text(name, value);
  const parsed = parseUri(uri);
  if (!parsed.ok || parsed.value.kind !== 'sip' || parsed.value.scheme !== 'sip') throw new ConfigError(`${name} "${uri}" is not a sip: URI; pass e.g. sip:127.0.0.1:5080;transport=udp`);
  return uri;
}

function absoluteUri(name: string, value: unknown): string {
  const uri = text(name, value);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(uri)) throw new ConfigError(`${name} "${uri}" is not an absolute URI`);
  return uri;
}

function logLevel(value: unknown): LogLevel {
  if (typeof value !== 'string' || !(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`logLevel must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return value as LogLevel;
}
