import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, readConfigFile, resolveConfig, type ConfigInput } from '../../runtime/config.ts';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('resolveConfig', () => {
  it('gives the defaults issue 3 names: loopback, 5060, 2855, 8090, examples/groups, loopback trusted', () => {
    expect(resolveConfig()).toMatchObject({ host: '127.0.0.1', sipPort: 5060, msrpPort: 2855, xdmsPort: 8090, groupsDir: 'examples/groups', xdmsUrl: null, trusted: ['127.0.0.1', '::1'], server: 'CPM-serv/OMA1.0', requireUa: null });
  });

  it('lets later layers win, section keys one by one', () => {
    const config = resolveConfig({ sipPort: 5070, timers: { t1: 100 } }, { sipPort: 5080, timers: { drainMs: 5 } });
    expect(config.sipPort).toBe(5080);
    expect(config.timers).toEqual({ ...DEFAULT_CONFIG.timers, t1: 100, drainMs: 5 });
  });

  it.each<[ConfigInput, string]>([
    [{ host: 'localhost' }, 'host "localhost" is not an IP address; pass e.g. 127.0.0.1 or ::1'],
    [{ sipPort: 70000 }, 'sipPort must be a port number 0-65535 (0 picks a free one), not 70000'],
    [{ trusted: ['10.0.0.1', 'proxy'] }, 'trusted "proxy" is not an IP address'],
    [{ outboundProxy: 'http://proxy' }, 'outboundProxy "http://proxy" is not a sip: URI'],
    [{ xdmsUrl: 'ftp://x' }, 'xdmsUrl "ftp://x" is not an http(s) URL'],
    [{ logLevel: 'loud' } as never, 'logLevel must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ minSessionExpires: 60 }, 'minSessionExpires must be an integer of at least 90'],
    [{ requireUa: [] }, 'requireUa must name at least one non-empty value, or be null'],
    [{ timers: { t1: 1000, t2: 500 } }, 'timers.t2 (500) must not be below timers.t1 (1000)'],
    [{ port: 1 } as never, 'unknown option "port"'],
    [{ timers: { t3: 1 } } as never, 'unknown option "timers.t3"'],
  ])('refuses %j with a message saying what is wrong', (input, message) => {
    const error = configError(() => resolveConfig(input));
    expect(error.code).toBe('CPM_ERR_CONFIG');
    expect(error.message).toContain(message);
  });
});

describe('readConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-config-'));

  it('reads a JSON object', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ sipPort: 5999, requireUa: ['CPM-client/OMA1.0'] }));
    expect(resolveConfig(readConfigFile(file))).toMatchObject({ sipPort: 5999, requireUa: ['CPM-client/OMA1.0'] });
  });

  it('refuses a file that is not a JSON object', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[1, 2]');
    expect(configError(() => readConfigFile(file)).message).toContain('must hold a JSON object');
    writeFileSync(file, '{ nope');
    expect(configError(() => readConfigFile(file)).message).toContain('is not JSON');
  });
});
