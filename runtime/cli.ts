/**
 * `cpm-cf`: the command line. Flags override the JSON config file, which overrides the defaults;
 * a bad option exits with status 2 and a message that says what to pass instead. SIGTERM and
 * SIGINT end every session cleanly (CANCEL or BYE on every leg) and exit 0.
 */
import { Command, InvalidArgumentError } from 'commander';
import { startCf } from './cf.ts';
import { ConfigError, DEFAULT_CONFIG, LOG_LEVELS, readConfigFile, resolveConfig, type ConfigInput } from './config.ts';

interface Flags {
  config?: string;
  host?: string;
  sipPort?: number;
  msrpPort?: number;
  xdmsPort?: number;
  groups?: string;
  xdms?: string;
  trusted?: string[];
  outboundProxy?: string;
  server?: string;
  requireUa?: string[];
  maxSessions?: number;
  logLevel?: string;
}

function integerArgument(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer.');
  return Number(value);
}

const d = DEFAULT_CONFIG;

const program = new Command()
  .name('cpm-cf')
  .description('OMA CPM Controlling Function for Large Message Mode CPM Messages to a CPM Pre-defined Group')
  .option('--config <file>', 'JSON config file; its keys are those of CfConfig (runtime/config.ts), flags override them')
  .option('--host <ip>', `IP address every listener binds (default: ${d.host})`)
  .option('--sip-port <port>', `SIP port, UDP and TCP; 0 picks a free one (default: ${d.sipPort})`, integerArgument)
  .option('--msrp-port <port>', `MSRP relay port (default: ${d.msrpPort})`, integerArgument)
  .option('--xdms-port <port>', `embedded XDMS HTTP port (default: ${d.xdmsPort})`, integerArgument)
  .option('--groups <dir>', `group documents the embedded XDMS serves (default: ${d.groupsDir})`)
  .option('--xdms <url>', 'XCAP root of an external Shared Group XDMS, instead of the embedded one')
  .option('--trusted <hosts...>', `IP addresses whose P-Asserted-Identity is believed (default: ${d.trusted.join(' ')})`)
  .option('--outbound-proxy <uri>', 'SIP URI of the SIP/IP core that requests towards members go through (default: route directly)')
  .option('--server <product>', `Server header of responses, User-Agent of requests (default: ${d.server})`)
  .option('--require-ua <versions...>', 'User-Agent prefixes accepted (INV-4); others get 403 with Error-Info (default: any)')
  .option('--max-sessions <n>', `sessions at once; beyond, INVITEs get 503 with Retry-After (default: ${d.maxSessions})`, integerArgument)
  .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')} (default: ${d.logLevel})`);

function fromFlags(flags: Flags): ConfigInput {
  const input: Record<string, unknown> = {
    host: flags.host,
    sipPort: flags.sipPort,
    msrpPort: flags.msrpPort,
    xdmsPort: flags.xdmsPort,
    groupsDir: flags.groups,
    xdmsUrl: flags.xdms,
    trusted: flags.trusted,
    outboundProxy: flags.outboundProxy,
    server: flags.server,
    requireUa: flags.requireUa,
    maxSessions: flags.maxSessions,
    logLevel: flags.logLevel,
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as ConfigInput;
}

async function main(): Promise<void> {
  const flags = program.parse().opts<Flags>();
  let config;
  try {
    config = resolveConfig(flags.config === undefined ? {} : readConfigFile(flags.config), fromFlags(flags));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cpm-cf: ${error.message}\n`);
    process.exit(2);
  }
  const cf = await startCf(config);
  const stop = (): void => {
    cf.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cpm-cf: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`cpm-cf: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
